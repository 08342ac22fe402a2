// What a CloudFormation update replaces or removes, from two templates of one stack.
//
// Loaded lazily by UpdateSafety (it pulls in @aws-cdk/cloudformation-diff and the service
// specification database, ~0.5 s to load): importing @portcullis/audit stays cheap.
//
// 1. Direct changes come from @aws-cdk/cloudformation-diff (the engine of `cdk diff`):
//    removals, type changes and property changes whose spec says `causesReplacement`.
//    cfn-diff judges top-level properties only; a changed *nested* create-only property
//    (e.g. `AutoScalingGroupProvider.AutoScalingGroupArn`) is found from the same spec.
// 2. Cascade: a replaced resource gets a new physical id, so its `Ref` / `Fn::GetAtt`
//    values change although its dependents' template text does not. A dependent whose
//    create-only property (top-level or nested, per the spec) references it through
//    `Ref`, `Fn::GetAtt` or `Fn::Sub` is replaced too, transitively.
import * as cfnDiff from '@aws-cdk/cloudformation-diff';

/** UPDATE: written in place; reported only by the traffic-shift analysis (traffic-shift.ts), never by `analyze`. */
export type Change = 'UPDATE' | 'REPLACE' | 'MAY_REPLACE' | 'REMOVE';

export interface ResourceChange {
  readonly logicalId: string;
  readonly resourceType: string;
  change: Change;
  readonly reasons: string[];
  /** Removed with DeletionPolicy Retain (cfn-diff: WILL_ORPHAN): the resource outlives the stack. */
  readonly retained: boolean;
}

// --- the service specification (the database cfn-diff reads) --------------------------

/** The few parts of @aws-cdk/service-spec-types this module reads (its versions differ between packages). */
interface SpecProperty { readonly causesReplacement?: 'yes' | 'no' | 'maybe'; readonly type: any }
interface SpecWithProperties { readonly properties: Record<string, SpecProperty> }
interface SpecDb {
  lookup(entity: 'resource', index: 'cloudFormationType', op: 'equals', value: string): SpecWithProperties[];
  get(entity: 'typeDefinition', ref: any): SpecWithProperties;
}

let database: SpecDb | undefined;
function db(): SpecDb {
  if (!database) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the resource specification (tens of MB) loads on first use, synchronously
    const spec = require('@aws-cdk/aws-service-spec');
    database = spec.loadAwsServiceSpecSync() as SpecDb;
  }
  return database;
}

const resourceSpecs = new Map<string, SpecWithProperties | undefined>();
function resourceSpec(type: string): SpecWithProperties | undefined {
  if (!resourceSpecs.has(type)) resourceSpecs.set(type, db().lookup('resource', 'cloudFormationType', 'equals', type)[0]);
  return resourceSpecs.get(type);
}

function typeDefinition(type: any): SpecWithProperties | undefined {
  try {
    return db().get('typeDefinition', type.reference);
  } catch {
    return undefined;
  }
}

function replaces(p: SpecProperty | undefined): 'yes' | 'maybe' | undefined {
  return p?.causesReplacement === 'yes' || p?.causesReplacement === 'maybe' ? p.causesReplacement : undefined;
}

/** The struct definitions a value of this property type can hold (refs, through arrays, maps and unions). */
function structsOf(type: any): { def: SpecWithProperties; each: boolean }[] {
  if (!type) return [];
  switch (type.type) {
    case 'ref': {
      const def = typeDefinition(type);
      return def ? [{ def, each: false }] : [];
    }
    case 'array':
    case 'map':
      return structsOf(type.element).map(({ def }) => ({ def, each: true }));
    case 'union':
      return (type.types ?? []).flatMap(structsOf);
    default:
      return [];
  }
}

/** A create-only location of a resource's properties, with its value. */
interface CreateOnlyValue { readonly path: string; readonly value: any; readonly level: 'yes' | 'maybe' }

/** Every create-only value of a resource's properties, top-level or nested, per the spec. */
function createOnlyValues(type: string, properties: any): CreateOnlyValue[] {
  const spec = resourceSpec(type);
  const out: CreateOnlyValue[] = [];
  if (!spec || !isObject(properties)) return out;
  for (const [key, value] of Object.entries(properties)) {
    visitCreateOnly(spec.properties[key], value, key, out);
  }
  return out;
}

function visitCreateOnly(prop: SpecProperty | undefined, value: any, path: string, out: CreateOnlyValue[]) {
  if (!prop || value === undefined) return;
  const level = replaces(prop);
  if (level) {
    out.push({ path, value, level });
    return;
  }
  for (const { def, each } of structsOf(prop.type)) {
    for (const [item, itemPath] of branches(value, each, path)) {
      if (!isObject(item) || isIntrinsic(item)) continue;
      for (const [key, v] of Object.entries(item)) visitCreateOnly(def.properties[key], v, `${itemPath}.${key}`, out);
    }
  }
}

/** The concrete values a property can take: `Fn::If` branches; array or map items when `each`. */
function branches(value: any, each: boolean, path: string): Array<[any, string]> {
  const ifArgs = isObject(value) ? value['Fn::If'] : undefined;
  if (Array.isArray(ifArgs) && ifArgs.length === 3) return [...branches(ifArgs[1], each, path), ...branches(ifArgs[2], each, path)];
  if (!each) return [[value, path]];
  if (Array.isArray(value)) return value.flatMap((v) => branches(v, false, path));
  if (isObject(value) && !isIntrinsic(value)) return Object.entries(value).flatMap(([k, v]) => branches(v, false, `${path}.${k}`));
  return [];
}

/** Changed nested create-only properties between two values of a (non create-only) top-level property. */
function nestedCreateOnlyChanges(prop: SpecProperty | undefined, before: any, after: any, path: string, out: CreateOnlyValue[]) {
  if (!prop || cfnDiff.deepEqual(before, after)) return;
  const level = replaces(prop);
  if (level) {
    out.push({ path, value: after, level });
    return;
  }
  for (const { def, each } of structsOf(prop.type)) {
    const pairs: Array<[any, any, string]> = [];
    if (!each) {
      pairs.push([before, after, path]);
    } else if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
      before.forEach((b, i) => pairs.push([b, after[i], path]));
    }
    else if (isObject(before) && isObject(after) && !Array.isArray(before) && !Array.isArray(after)) {
      for (const k of Object.keys(after)) if (k in before) pairs.push([before[k], after[k], `${path}.${k}`]);
    }
    for (const [b, a, p] of pairs) {
      if (!isObject(b) || !isObject(a) || isIntrinsic(b) || isIntrinsic(a)) continue;
      for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) nestedCreateOnlyChanges(def.properties[key], b[key], a[key], `${p}.${key}`, out);
    }
  }
}

// --- references -------------------------------------------------------------------------

/** Logical ids a value references through `Ref`, `Fn::GetAtt` or `Fn::Sub` (pseudo parameters excluded). */
export function referencesIn(value: any, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => referencesIn(v, out));
  } else if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'Ref' && typeof value.Ref === 'string') {
      if (!value.Ref.startsWith('AWS::')) out.add(value.Ref);
      return out;
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const att = value['Fn::GetAtt'];
      if (typeof att === 'string') out.add(att.split('.')[0]);
      else if (Array.isArray(att) && typeof att[0] === 'string') out.add(att[0]);
      else referencesIn(att, out);
      return out;
    }
    if (keys.length === 1 && keys[0] === 'Fn::Sub') {
      const sub = value['Fn::Sub'];
      const [text, vars] = Array.isArray(sub) ? [sub[0], sub[1] ?? {}] : [sub, {}];
      if (typeof text === 'string') {
        for (const m of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
          const name = m[1].trim().split('.')[0];
          if (!(isObject(vars) && name in vars) && !name.startsWith('AWS::')) out.add(name);
        }
      }
      referencesIn(vars, out);
      return out;
    }
    Object.values(value).forEach((v) => referencesIn(v, out));
  }
  return out;
}

// --- the analysis ---------------------------------------------------------------------------

const STRENGTH: Record<Change, number> = { UPDATE: 0, MAY_REPLACE: 1, REPLACE: 2, REMOVE: 3 };

/** The replaced and removed resources of one stack update, in logical-id order. */
export function analyze(before: any, after: any): ResourceChange[] {
  const oldResources: Record<string, any> = (isObject(before) && isObject(before.Resources)) ? before.Resources : {};
  const newResources: Record<string, any> = (isObject(after) && isObject(after.Resources)) ? after.Resources : {};
  const diff = cfnDiff.fullDiff(isObject(before) ? before : {}, isObject(after) ? after : {});
  const changes = new Map<string, ResourceChange>();
  const note = (logicalId: string, resourceType: string, change: Change, reason: string, retained = false) => {
    let c = changes.get(logicalId);
    if (!c) {
      c = { logicalId, resourceType, change, reasons: [], retained };
      changes.set(logicalId, c);
    } else if (STRENGTH[change] > STRENGTH[c.change]) {
      c.change = change;
    }
    if (c.reasons.includes(reason)) return false;
    c.reasons.push(reason);
    return true;
  };
  const flaggedByCfnDiff = new Map<string, { type: string; impact: Change; props: string[] }>();

  // 1. direct changes, from cloudformation-diff
  diff.resources.forEachDifference((logicalId, rd) => {
    if (logicalId.startsWith('Fn::ForEach::') || rd.isAddition) return;
    const type = rd.oldResourceType ?? rd.newResourceType ?? 'unknown';
    if (rd.isRemoval) {
      note(logicalId, type, 'REMOVE', 'removed from the template', rd.changeImpact === cfnDiff.ResourceImpact.WILL_ORPHAN);
      return;
    }
    if (rd.resourceTypeChanged) {
      note(logicalId, rd.newResourceType ?? type, 'REPLACE', `Type changes from ${rd.oldResourceType} to ${rd.newResourceType}`);
      return;
    }
    if (rd.changeImpact === cfnDiff.ResourceImpact.WILL_REPLACE || rd.changeImpact === cfnDiff.ResourceImpact.MAY_REPLACE) {
      flaggedByCfnDiff.set(logicalId, {
        type,
        impact: rd.changeImpact === cfnDiff.ResourceImpact.WILL_REPLACE ? 'REPLACE' : 'MAY_REPLACE',
        props: Object.entries(rd.propertyUpdates)
          .filter(([, pd]) => pd.changeImpact === cfnDiff.ResourceImpact.WILL_REPLACE || pd.changeImpact === cfnDiff.ResourceImpact.MAY_REPLACE)
          .map(([p]) => p),
      });
    }
    const oldProps = oldResources[logicalId]?.Properties ?? {};
    const newProps = newResources[logicalId]?.Properties ?? {};
    const spec = resourceSpec(type);
    for (const [prop, pd] of Object.entries(rd.propertyUpdates)) {
      // cfn-diff marks dependents of replaced resources itself (top-level Ref / GetAtt only), with
      // an unchanged text: those are the cascade's, reported with the resource they reference.
      if (cfnDiff.deepEqual(oldProps[prop], newProps[prop])) continue;
      if (pd.changeImpact === cfnDiff.ResourceImpact.WILL_REPLACE) {
        note(logicalId, type, 'REPLACE', prop);
      } else if (pd.changeImpact === cfnDiff.ResourceImpact.MAY_REPLACE) {
        note(logicalId, type, 'MAY_REPLACE', prop);
      }
      else if (spec) {
        const nested: CreateOnlyValue[] = [];
        nestedCreateOnlyChanges(spec.properties[prop], oldProps[prop], newProps[prop], prop, nested);
        for (const n of nested) note(logicalId, type, n.level === 'yes' ? 'REPLACE' : 'MAY_REPLACE', n.path);
      }
    }
  });

  // 2. cascade through create-only references to replaced resources
  const candidates = Object.entries(newResources)
    .filter(([id, r]) => isObject(r) && oldResources[id]?.Type === r.Type && typeof r.Type === 'string')
    .map(([id, r]) => ({
      id,
      type: r.Type as string,
      refs: createOnlyValues(r.Type, r.Properties).flatMap((v) => [...referencesIn(v.value)].map((target) => ({ ...v, target }))),
    }))
    .filter((c) => c.refs.length > 0);
  for (let grew = true; grew;) {
    grew = false;
    for (const c of candidates) {
      for (const ref of c.refs) {
        const target = changes.get(ref.target);
        if (!target || target.change === 'REMOVE' || ref.target === c.id) continue;
        const sure = target.change === 'REPLACE' && ref.level === 'yes';
        const reason = `${ref.path} references ${ref.target}, which ${target.change === 'REPLACE' ? 'is replaced' : 'may be replaced'}`;
        const previous = changes.get(c.id)?.change;
        if (note(c.id, c.type, sure ? 'REPLACE' : 'MAY_REPLACE', reason) || previous !== changes.get(c.id)!.change) grew = true;
      }
    }
  }

  // 3. never report less than cloudformation-diff: anything it replaces that is still unexplained
  for (const [logicalId, f] of flaggedByCfnDiff) {
    if (!changes.has(logicalId)) {
      for (const p of f.props.length ? f.props : ['(unspecified)']) {
        note(logicalId, f.type, f.impact, `${p} (a referenced resource is replaced, per cloudformation-diff)`);
      }
    }
  }

  return [...changes.values()].sort((a, b) => a.logicalId.localeCompare(b.logicalId));
}

function isObject(x: any): x is Record<string, any> {
  return typeof x === 'object' && x !== null;
}

function isIntrinsic(x: any): boolean {
  if (!isObject(x) || Array.isArray(x)) return false;
  const keys = Object.keys(x);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}
