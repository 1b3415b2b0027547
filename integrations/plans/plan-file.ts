import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { planFileSchema, type PlanFile } from '../../domain/plan/plan-file.js';
import { formatPath } from '../../domain/validation.js';

/** One problem of a plan file, with its place: file, line and column (1-based), and path. */
export interface PlanFileIssue {
  file: string;
  line: number;
  column: number;
  /** Path inside the plan, for example `versions[0].definition.rules[2].tiers[1].from`; empty for the file. */
  path: string;
  message: string;
}

/** Raised when a plan file cannot be read or does not validate; `issues` lists every problem found. */
export class PlanFileError extends Error {
  override readonly name = 'PlanFileError';
  constructor(readonly issues: PlanFileIssue[]) {
    super(issues.map(formatPlanFileIssue).join('\n'));
  }
}

/** Formats an issue as `file:line:column: path: message`, the form editors and CI logs link to. */
export function formatPlanFileIssue(issue: PlanFileIssue): string {
  const place = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.path === '' ? `${place}: ${issue.message}` : `${place}: ${issue.path}: ${issue.message}`;
}

/**
 * Parses a plan file in YAML or JSON (JSON is read as YAML) and validates it. Returns the plan with
 * the defaults of each definition filled in. Throws PlanFileError listing every syntax or validation
 * problem with its line and column.
 */
export function parsePlanFile(text: string, file: string): PlanFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number) => lineCounter.linePos(offset);

  if (document.errors.length > 0) {
    throw new PlanFileError(
      document.errors.map((error) => {
        const { line, col } = position(error.pos[0]);
        return { file, line, column: col, path: '', message: `invalid YAML: ${error.message.split('\n')[0]}` };
      }),
    );
  }

  const result = planFileSchema.safeParse(document.toJS());
  if (result.success) return result.data;

  throw new PlanFileError(
    result.error.issues.map((issue) => {
      // An unknown field is reported at the field itself rather than at the object that contains it.
      const at = issue.code === 'unrecognized_keys' ? [...issue.path, ...issue.keys.slice(0, 1)] : issue.path;
      const offset = offsetOf(document, at);
      const { line, col } = position(offset);
      return { file, line, column: col, path: formatPath(issue.path), message: issue.message };
    }),
  );
}

/** Reads and validates a plan file. Throws PlanFileError, also when the file cannot be read. */
export async function readPlanFile(file: string): Promise<PlanFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new PlanFileError([
      { file, line: 1, column: 1, path: '', message: `cannot read the file: ${(error as Error).message}` },
    ]);
  }
  return parsePlanFile(text, file);
}

/**
 * Returns the source offset of the node at `path`, or of its nearest existing parent when the path
 * names something missing (a missing field is reported at the object that lacks it).
 */
function offsetOf(document: Document, path: readonly PropertyKey[]): number {
  let node: unknown = document.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === segment);
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
      offset = rangeStart(node) ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (node === undefined) break;
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}
