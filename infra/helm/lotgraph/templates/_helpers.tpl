{{/* Names ------------------------------------------------------------------------------------ */}}

{{- define "lotgraph.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's prefix for every object: the release name, or <release>-lotgraph. */}}
{{- define "lotgraph.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The object name of one component: (dict "root" $ "component" "gateway"). */}}
{{- define "lotgraph.componentName" -}}
{{- printf "%s-%s" (include "lotgraph.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "lotgraph.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The five subgraphs, in the order the gateway composes them. */}}
{{- define "lotgraph.subgraphs" -}}
identity inventory production quality traceability
{{- end }}

{{/* Every Lotgraph service (the back-end servers, then the web app). */}}
{{- define "lotgraph.services" -}}
identity inventory production quality traceability gateway web
{{- end }}

{{/* Which tier a component belongs to: subgraph, gateway, web (NetworkPolicies select by it). */}}
{{- define "lotgraph.tier" -}}
{{- if has . (splitList " " (include "lotgraph.subgraphs" dict)) }}subgraph{{ else }}{{ . }}{{ end }}
{{- end }}

{{/* Labels --------------------------------------------------------------------------------- */}}

{{- define "lotgraph.labels" -}}
helm.sh/chart: {{ include "lotgraph.chart" . }}
app.kubernetes.io/name: {{ include "lotgraph.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: lotgraph
{{- end }}

{{/* Selector labels of one component: (dict "root" $ "component" "gateway"). */}}
{{- define "lotgraph.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lotgraph.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Selector of every pod of the release. */}}
{{- define "lotgraph.releaseSelector" -}}
app.kubernetes.io/name: {{ include "lotgraph.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Selector of every pod of one tier (subgraph, gateway, web): (dict "root" $ "tier" "subgraph"). */}}
{{- define "lotgraph.tierSelector" -}}
app.kubernetes.io/name: {{ include "lotgraph.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
lotgraph.dev/tier: {{ .tier }}
{{- end }}

{{- define "lotgraph.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "lotgraph.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Images --------------------------------------------------------------------------------- */}}

{{/* (dict "root" $ "component" "gateway") -> repository:tag */}}
{{- define "lotgraph.image" -}}
{{- $svc := index .root.Values .component }}
{{- $tag := $svc.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- printf "%s:%s" $svc.image.repository (toString $tag) }}
{{- end }}

{{/* Addresses ------------------------------------------------------------------------------ */}}

{{- define "lotgraph.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" (include "lotgraph.fullname" .)) }}
{{- end }}

{{- define "lotgraph.natsUrl" -}}
{{- if .Values.nats.enabled }}
{{- printf "nats://%s:4222" (include "lotgraph.componentName" (dict "root" . "component" "nats")) }}
{{- else }}
{{- required "config.natsUrl is required when nats.enabled is false: the address of your NATS JetStream (nats://host:4222)" .Values.config.natsUrl }}
{{- end }}
{{- end }}

{{- define "lotgraph.neo4jUri" -}}
{{- if .Values.neo4j.enabled }}
{{- printf "bolt://%s:7687" (include "lotgraph.componentName" (dict "root" . "component" "neo4j")) }}
{{- else }}
{{- required "config.neo4jUri is required when neo4j.enabled is false: the address of your Neo4j (neo4j://host:7687, or neo4j+s://... for Aura)" .Values.config.neo4jUri }}
{{- end }}
{{- end }}

{{/* A subgraph's or the gateway's in-cluster GraphQL URL: (dict "root" $ "component" "identity"). */}}
{{- define "lotgraph.graphqlUrl" -}}
{{- printf "http://%s:%v/graphql" (include "lotgraph.componentName" .) (index .root.Values .component).port }}
{{- end }}

{{- define "lotgraph.publicGatewayUrl" -}}
{{- if .Values.config.publicGatewayUrl }}
{{- .Values.config.publicGatewayUrl }}
{{- else if .Values.ingress.enabled }}
{{- printf "%s://%s/graphql" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host }}
{{- else }}
{{- printf "http://localhost:%v/graphql" .Values.gateway.port }}
{{- end }}
{{- end }}

{{/* The OTLP collector's port, from tracing.otlpEndpoint (default by scheme). */}}
{{- define "lotgraph.otlpPort" -}}
{{- $url := urlParse .Values.tracing.otlpEndpoint }}
{{- $hostPort := splitList ":" $url.host }}
{{- if gt (len $hostPort) 1 }}{{ last $hostPort }}{{ else if eq $url.scheme "https" }}443{{ else }}80{{ end }}
{{- end }}

{{/* Pod-level scheduling, per service falling back to the chart-wide value: (dict "root" $ "component" "gateway"). */}}
{{- define "lotgraph.scheduling" -}}
{{- $svc := index .root.Values .component }}
{{- with ($svc.nodeSelector | default .root.Values.nodeSelector) }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with ($svc.tolerations | default .root.Values.tolerations) }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with ($svc.affinity | default .root.Values.affinity) }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{- define "lotgraph.imagePullSecrets" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* NetworkPolicy pieces ------------------------------------------------------------------- */}}

{{/* The port a bundled dependency serves Lotgraph on: (dict "root" $ "dependency" "nats"). */}}
{{- define "lotgraph.dependencyPort" -}}
{{- index (dict "postgresql" 5432 "nats" 4222 "neo4j" 7687) .dependency | toString }}
{{- end }}

{{/* Egress to a dependency: its bundled pods, or the configured peers/port of the external one. */}}
{{- define "lotgraph.dependencyEgress" -}}
{{- $bundled := (index .root.Values .dependency).enabled }}
{{- $external := index .root.Values.networkPolicy.egress .dependency }}
- ports:
    - protocol: TCP
      port: {{ ternary (include "lotgraph.dependencyPort" .) (toString $external.port) $bundled }}
  {{- if $bundled }}
  to:
    - podSelector:
        matchLabels:
          {{- include "lotgraph.selectorLabels" (dict "root" .root "component" .dependency) | nindent 10 }}
  {{- else if $external.to }}
  to:
    {{- toYaml $external.to | nindent 4 }}
  {{- end }}
{{- end }}

{{/* Egress to the OTLP collector, when tracing is on (nothing otherwise). */}}
{{- define "lotgraph.otlpEgress" -}}
{{- if .Values.tracing.otlpEndpoint }}
- ports:
    - protocol: TCP
      port: {{ include "lotgraph.otlpPort" . }}
  {{- with .Values.networkPolicy.egress.otlp.to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}

{{/* Ingress to the metrics port: (dict "root" $ "from" peers). */}}
{{- define "lotgraph.metricsIngress" -}}
{{- if .root.Values.metrics.enabled }}
- ports:
    - protocol: TCP
      port: {{ .root.Values.metrics.port }}
  from:
    {{- toYaml .from | nindent 4 }}
{{- end }}
{{- end }}
