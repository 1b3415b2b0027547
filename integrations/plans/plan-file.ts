import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { checkPlansDoNotOverlap } from '../../domain/plan/assignments.js';
import { planFileSchema, type PlanFile } from '../../domain/plan/plan-file.js';
import { validateWithSchema } from '../../domain/validation.js';

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
        const message = `invalid YAML: ${error.message.split('\n')[0]}`;
        return { file, line, column: col, path: '', message: `${message}${yamlHint(error.code)}` };
      }),
    );
  }

  const result = validateWithSchema(planFileSchema, document.toJS());
  if (result.success) return result.data;

  throw new PlanFileError(
    result.issues.map((issue) => {
      const { line, col } = position(offsetOfIssue(document, issue.path, issue.offset));
      return { file, line, column: col, path: issue.path, message: issue.message };
    }),
  );
}

/** Returns a hint for the YAML errors that an unquoted formula or description causes. */
function yamlHint(code: string): string {
  const unquoted = ['BLOCK_AS_IMPLICIT_KEY', 'BLOCK_IN_FLOW', 'MULTILINE_IMPLICIT_KEY', 'UNEXPECTED_TOKEN'];
  return unquoted.includes(code)
    ? `; if the value is a formula or text with ": ", " #", "," or brackets, put it in quotes`
    : '';
}

/** Line and column of a path such as `versions[0].definition.rules[2]` in a parsed plan file. */
export function locatePath(document: Document, lineCounter: LineCounter, path: string): { line: number; col: number } {
  return lineCounter.linePos(offsetOfIssue(document, path, undefined));
}

/**
 * Returns the source offset of an issue: of the value at its path, plus the character offset
 * inside the value for a formula error.
 */
function offsetOfIssue(document: Document, path: string, offsetInValue: number | undefined): number {
  const segments = parsePath(path);
  const offset = offsetOf(document, segments);
  if (offsetInValue === undefined) return offset;
  const node = document.getIn(segments, true);
  if (!isScalar(node) || typeof node.value !== 'string') return offset;
  const isQuoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  // NOTE: in a quoted scalar with escape sequences, or a block scalar over several lines, the
  // column can be off by the escapes or point at the first line.
  return offset + (isQuoted ? 1 : 0) + offsetInValue;
}

/** Splits a path such as `versions[0].definition.rules[2].tiers` into its keys and indexes. */
function parsePath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    segments.push(match[2] === undefined ? (match[1] as string) : Number(match[2]));
  }
  return segments;
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

/** A plan file that parsed, with its name and text for locating later problems. */
export interface LoadedPlanFile {
  file: string;
  text: string;
  plan: PlanFile;
}

/**
 * Reads and validates plan files, then checks them together: no two plans may assign the same
 * partner on a day, and plan ids must differ. Returns the valid files and every problem found;
 * a file with problems of its own is not in `plans`.
 */
export async function readPlanFiles(
  files: readonly string[],
): Promise<{ plans: LoadedPlanFile[]; issues: PlanFileIssue[] }> {
  const plans: LoadedPlanFile[] = [];
  const issues: PlanFileIssue[] = [];
  for (const file of files) {
    try {
      const text = await readFile(file, 'utf8').catch((error: Error) => {
        throw new PlanFileError([
          { file, line: 1, column: 1, path: '', message: `cannot read the file: ${error.message}` },
        ]);
      });
      plans.push({ file, text, plan: parsePlanFile(text, file) });
    } catch (error) {
      if (!(error instanceof PlanFileError)) throw error;
      issues.push(...error.issues);
    }
  }
  issues.push(...checkPlanSet(plans));
  return { plans, issues };
}

/** Checks valid plan files together: unique plan ids and no partner assigned by two plans on a day. */
export function checkPlanSet(plans: readonly LoadedPlanFile[]): PlanFileIssue[] {
  const issues: PlanFileIssue[] = [];
  const locate = (loaded: LoadedPlanFile, path: string): { line: number; column: number } => {
    const lineCounter = new LineCounter();
    const document = parseDocument(loaded.text, { lineCounter });
    const { line, col } = locatePath(document, lineCounter, path);
    return { line, column: col };
  };
  plans.forEach((loaded, index) => {
    const first = plans.findIndex((other) => other.plan.id === loaded.plan.id);
    if (first !== index) {
      issues.push({
        file: loaded.file,
        ...locate(loaded, 'id'),
        path: 'id',
        message: `plan id ${loaded.plan.id} is also used by ${plans[first]?.file}; give each plan its own id`,
      });
    }
  });
  for (const issue of checkPlansDoNotOverlap(plans.map((loaded) => loaded.plan))) {
    const loaded = plans.find((candidate) => candidate.plan.id === issue.planId) as LoadedPlanFile;
    issues.push({ file: loaded.file, ...locate(loaded, issue.path), path: issue.path, message: issue.message });
  }
  return issues;
}
