import { graphql } from "@/gql";

export const UsersQuery = graphql(`
  query AdminUsers($first: Int, $after: String) {
    users(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          email
          roles
          createdAt
          active
          deactivatedAt
        }
      }
    }
  }
`);

export const ServiceAccountsQuery = graphql(`
  query AdminServiceAccounts {
    serviceAccounts {
      id
      name
      roles
      createdAt
      createdBy {
        name
      }
      status
      expiresAt
      lastUsedAt
      revokedAt
      trustedDocumentsOnly
    }
  }
`);

export const CreateUserMutation = graphql(`
  mutation AdminCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      user {
        id
        name
        email
      }
    }
  }
`);

export const CreateServiceAccountMutation = graphql(`
  mutation AdminCreateServiceAccount($input: CreateServiceAccountInput!) {
    createServiceAccount(input: $input) {
      token
      serviceAccount {
        id
        name
      }
    }
  }
`);

export const UpdateUserMutation = graphql(`
  mutation AdminUpdateUser($input: UpdateUserInput!) {
    updateUser(input: $input) {
      user {
        id
        name
        roles
      }
    }
  }
`);

export const DeactivateUserMutation = graphql(`
  mutation AdminDeactivateUser($input: DeactivateUserInput!) {
    deactivateUser(input: $input) {
      user {
        id
        active
        deactivatedAt
      }
    }
  }
`);

export const RotateServiceAccountTokenMutation = graphql(`
  mutation AdminRotateServiceAccountToken($input: RotateServiceAccountTokenInput!) {
    rotateServiceAccountToken(input: $input) {
      token
    }
  }
`);

export const RevokeServiceAccountMutation = graphql(`
  mutation AdminRevokeServiceAccount($input: RevokeServiceAccountInput!) {
    revokeServiceAccount(input: $input) {
      serviceAccount {
        id
        status
        revokedAt
      }
    }
  }
`);

export const WebhooksQuery = graphql(`
  query AdminWebhooks {
    webhooks {
      id
      url
      subjects
      description
      active
      createdAt
      pendingDeliveries
      deadDeliveries
    }
  }
`);

export const WebhookDeliveriesQuery = graphql(`
  query AdminWebhookDeliveries($webhookId: ID!, $first: Int, $after: String, $status: WebhookDeliveryStatus) {
    webhookDeliveries(webhookId: $webhookId, first: $first, after: $after, status: $status) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          eventId
          subject
          entityType
          entityId
          occurredAt
          status
          attempts
          nextAttemptAt
          lastAttemptAt
          responseStatus
          lastError
          deliveredAt
        }
      }
    }
  }
`);

export const CreateWebhookMutation = graphql(`
  mutation AdminCreateWebhook($input: CreateWebhookInput!) {
    createWebhook(input: $input) {
      secret
      webhook {
        id
        url
      }
    }
  }
`);

export const UpdateWebhookMutation = graphql(`
  mutation AdminUpdateWebhook($input: UpdateWebhookInput!) {
    updateWebhook(input: $input) {
      secret
      webhook {
        id
        url
        active
      }
    }
  }
`);

export const DeleteWebhookMutation = graphql(`
  mutation AdminDeleteWebhook($input: DeleteWebhookInput!) {
    deleteWebhook(input: $input) {
      webhook {
        id
        deletedAt
      }
    }
  }
`);

export const RedeliverWebhookMutation = graphql(`
  mutation AdminRedeliverWebhook($input: RedeliverWebhookInput!) {
    redeliverWebhook(input: $input) {
      delivery {
        id
        status
        attempts
      }
    }
  }
`);
