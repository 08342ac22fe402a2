// The shape of a CloudFormation template, checked before a gate reads it: a gate that reads
// null, a list, unparsed JSON text or a malformed section as "an empty stack" gives a
// confident pass (or a false removal). Errors start with the subject they are about: an
// argument (`UpdateSafety.compare: \`before\``) or a file path.
//
// The top-level sections are CloudFormation's (template anatomy:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html);
// CloudFormation itself rejects any other top-level key ("Invalid template property").

/** The top-level sections a CloudFormation template may have. */
export const TEMPLATE_SECTIONS = [
  'AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings',
  'Conditions', 'Transform', 'Resources', 'Outputs', 'Hooks',
] as const;

const OBJECT_SECTIONS = new Set(['Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Resources', 'Outputs', 'Hooks']);

/** A plain object (a JSON object, from this or another realm): not null, not a list, not a class instance. */
export function isPlainObject(value: unknown): value is Record<string, any> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** What a value is, in words, for an error message. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)})`;
  if (typeof value === 'object' && !isPlainObject(value)) {
    const name = (value as any).constructor?.name;
    return `an instance of ${typeof name === 'string' && name ? name : 'a class'}`;
  }
  return `a ${typeof value}`;
}

/**
 * Throws unless `value` is a CloudFormation template: a JSON object whose keys are template
 * sections, whose `Resources` (if any) maps logical ids to objects with a string `Type` and an
 * object `Properties` (if any), and whose other sections have their documented JSON type.
 * `{}` passes: it is the template CDK writes for a stack without resources.
 *
 * @param subject what the value is, at the start of every message: an argument or a file
 * @param resources whether to check each resource too (the exposure rules and the cost
 *   estimate judge a malformed resource on their own, failing closed per resource)
 */
export function checkTemplateShape(value: unknown, subject: string, resources = true): void {
  if (!isPlainObject(value)) {
    const hint = typeof value === 'string'
      ? ': JSON.parse the template text first (to compare cdk.out directories, use compareAssemblies / portcullis-audit diff)'
      : typeof value === 'object' && value !== null && !Array.isArray(value)
        ? ': pass the parsed template JSON (of an assertions Template: template.toJSON())'
        : '';
    throw new Error(`${subject} is not a CloudFormation template (a JSON object), got ${kindOf(value)}${hint}`);
  }
  const unknown = Object.keys(value).filter((k) => !(TEMPLATE_SECTIONS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new Error(`${subject} is not a CloudFormation template: ${unknown.map((k) => JSON.stringify(k)).join(', ')} `
      + `${unknown.length === 1 ? 'is not a template section' : 'are not template sections'} (a template has only ${TEMPLATE_SECTIONS.join(', ')}; `
      + 'CloudFormation rejects other keys). Was a resource, a manifest or a template wrapper passed instead of the template?');
  }
  for (const section of OBJECT_SECTIONS) {
    const v = value[section];
    if (v !== undefined && !isPlainObject(v)) {
      throw new Error(`${subject}: ${section} must be an object${section === 'Resources' ? ' of logical id -> resource' : ''}, got ${kindOf(v)}`);
    }
  }
  for (const section of ['AWSTemplateFormatVersion', 'Description']) {
    const v = value[section];
    if (v !== undefined && typeof v !== 'string') throw new Error(`${subject}: ${section} must be a string, got ${kindOf(v)}`);
  }
  const transform = value.Transform;
  if (transform !== undefined && typeof transform !== 'string' && !Array.isArray(transform) && !isPlainObject(transform)) {
    throw new Error(`${subject}: Transform must be a macro name, a list or an object, got ${kindOf(transform)}`);
  }
  if (!resources) return;
  for (const [id, resource] of Object.entries<any>(value.Resources ?? {})) {
    if (id.startsWith('Fn::ForEach::')) continue; // AWS::LanguageExtensions loop: expanded by CloudFormation
    if (!isPlainObject(resource)) throw new Error(`${subject}: resource ${id} must be an object with a Type, got ${kindOf(resource)}`);
    if (typeof resource.Type !== 'string' || resource.Type.trim() === '') {
      throw new Error(`${subject}: resource ${id} needs a Type (a string such as AWS::EC2::VPC), got ${kindOf(resource.Type)}`);
    }
    for (const key of ['Properties', 'Metadata']) {
      const v = resource[key];
      if (v !== undefined && !isPlainObject(v)) throw new Error(`${subject}: resource ${id}: ${key} must be an object, got ${kindOf(v)}`);
    }
  }
}

/**
 * The template as JSON (what CloudFormation receives): a deep copy through JSON, so objects
 * without a prototype, `undefined` values and other non-JSON JavaScript become plain JSON
 * before a comparison library reads them. A value JSON cannot hold (a cycle, a BigInt) is an
 * error naming the subject.
 */
export function asJson(value: unknown, subject: string): any {
  try {
    return JSON.parse(JSON.stringify(value));
  } catch (e) {
    throw new Error(`${subject} is not JSON (a CloudFormation template is JSON): ${(e as Error).message}`);
  }
}
