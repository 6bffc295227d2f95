/** One sample of a Prometheus text exposition: `name{labels} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A scrape, parsed: its samples, with helpers to sum those that match. */
export class Scrape {
  constructor(readonly samples: readonly Sample[]) {}

  static parse(text: string): Scrape {
    return new Scrape(text.split("\n").flatMap((line) => parseLine(line) ?? []));
  }

  /** Every sample name in the scrape (`x_bucket`, `x_sum`, `x_count` for a histogram `x`). */
  names(): Set<string> {
    return new Set(this.samples.map((sample) => sample.name));
  }

  /** The samples named `name` whose labels include every one of `labels`. */
  matching(name: string, labels: Record<string, string> = {}): Sample[] {
    return this.samples.filter(
      (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    );
  }

  /** The sum of those samples (0 when there are none: a counter not yet moved). */
  sum(name: string, labels: Record<string, string> = {}): number {
    return this.matching(name, labels).reduce((total, sample) => total + sample.value, 0);
  }
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function parseLine(line: string): Sample | null {
  if (line === "" || line.startsWith("#")) return null;
  const match = LINE.exec(line);
  if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
  const labels: Record<string, string> = {};
  for (const [, key, value] of (match[2] ?? "").matchAll(LABEL))
    labels[key!] = value!.replace(/\\n/g, "\n").replace(/\\(["\\])/g, "$1");
  const raw = match[3]!;
  const value = raw === "+Inf" ? Infinity : raw === "-Inf" ? -Infinity : Number(raw);
  return { name: match[1]!, labels, value };
}

/** Fetches and parses `url` (a `/metrics` endpoint). */
export async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`scrape of ${url}: HTTP ${response.status}`);
  return Scrape.parse(await response.text());
}
