/**
 * The shared validation layer of the Portcullis constructs (issue 17).
 *
 * NOT part of the public API of @portcullis/network: it is not exported from `index.ts`, jsii
 * does not see it, and it may change in any release. It lives in the lowest construct package
 * so every package above can use it (the layering rule allows imports downwards only).
 * Sibling packages import it from the built JavaScript:
 *
 *     import { wholeNumber, domainName } from '@portcullis/network/lib/private/validate';
 *
 * Conventions, for every helper:
 * - the first argument is the prop as the user writes it (`desiredCount`,
 *   `Egress.natInstance({ instanceType })`); the error names it, the value received and the fix,
 *   e.g. "`desiredCount` must be a whole number from 0 to 5000, got -1: use ...";
 * - `undefined` (an optional prop left out) is accepted: the construct applies its default;
 * - an unresolved token is accepted wherever CloudFormation would accept one (its value is
 *   known only at deploy time); helpers that return a parsed value return `undefined` then.
 *   A prop that decides the template's shape at synth and so cannot be a token is checked
 *   with {@link synthTimeValue}.
 */
import { Duration, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

/** How a value was received, for error messages: strings quoted, NaN and Infinity as written. */
/** Whether `value` holds an ASCII control character (U+0000 to U+001F, or U+007F). */
export function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? ownString(value);
  } catch {
    return ownString(value); // circular (a construct, say) or holding a BigInt
  }
}

/** What String() makes of a value JSON cannot show: a construct's path, a symbol's description. */
function ownString(value: unknown): string {
  return String(value);
}

function fail(prop: string, requirement: string, value: unknown, fix: string): never {
  failShown(prop, requirement, show(value), fix);
}

/** Like fail, with the value already written as the user would write it. */
function failShown(prop: string, requirement: string, shown: string, fix: string): never {
  throw new Error(`\`${prop}\` must be ${requirement}, got ${shown}: ${fix}`);
}

// ---------------------------------------------------------------------------------------------
// Tokens

/**
 * Rejects an unresolved token for a prop whose value must be known at synth time (e.g. a
 * count that decides how many resources are created). `why` says why, `fix` what to do.
 */
export function synthTimeValue(prop: string, value: unknown, why: string, fix: string): void {
  if (value !== undefined && Token.isUnresolved(value)) {
    throw new Error(`\`${prop}\` must be known at synth time (${why}), got a token (${show(value)}): ${fix}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** Bounds of a number; both inclusive. */
export interface NumberRange {
  readonly min?: number;
  readonly max?: number;
  /** The fix to name in the error. @default - "use a <kind> <range>" */
  readonly fix?: string;
}

function rangeText(range: NumberRange): string {
  const { min, max } = range;
  if (min !== undefined && max !== undefined) return `from ${min} to ${max}`;
  if (min !== undefined) return `>= ${min}`;
  if (max !== undefined) return `<= ${max}`;
  return '';
}

function checkNumber(prop: string, value: number | undefined, range: NumberRange, kind: string, whole: boolean): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  const requirement = [kind, rangeText(range)].filter(Boolean).join(' ');
  const ok = typeof value === 'number' && Number.isFinite(value) && (!whole || Number.isInteger(value))
    && (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);
  if (!ok) {
    fail(prop, requirement, value, range.fix ?? `use ${requirement}`);
  }
}

/**
 * A whole number within `range`: NaN, Infinity, fractions and values out of range are
 * rejected ("`desiredCount` must be a whole number from 0 to 5000, got -1: ...").
 */
export function wholeNumber(prop: string, value: number | undefined, range: NumberRange = {}): void {
  checkNumber(prop, value, range, 'a whole number', true);
}

/** A finite number within `range`: NaN and ±Infinity are rejected. */
export function finiteNumber(prop: string, value: number | undefined, range: NumberRange = {}): void {
  checkNumber(prop, value, range, 'a finite number', false);
}

// ---------------------------------------------------------------------------------------------
// Names

/** The rules of a name. */
export interface NameRules {
  /**
   * What a valid name matches, whole.
   * @default - printable ASCII without spaces (`/^[\x21-\x7e]+$/`)
   */
  readonly pattern?: RegExp;
  /** @default - no limit */
  readonly maxLength?: number;
  /**
   * The rule in words, for the error, e.g. "1 to 255 letters, digits, hyphens and underscores".
   * @default - "a non-empty name of printable ASCII characters without spaces"
   */
  readonly description?: string;
}

const PRINTABLE_ASCII_NO_SPACE = /^[\x21-\x7e]+$/;

/**
 * A non-empty name: no spaces, no control or non-ASCII characters (or `rules.pattern`), at
 * most `rules.maxLength` characters. A name with a token in it is accepted.
 */
export function nonEmptyName(prop: string, value: string | undefined, rules: NameRules = {}): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  const description = rules.description ?? 'a non-empty name of printable ASCII characters without spaces';
  const length = rules.maxLength !== undefined ? ` (at most ${rules.maxLength} characters)` : '';
  if (typeof value !== 'string' || value.length === 0) {
    fail(prop, description + length, value, 'give a name, or leave the prop out for the default');
  }
  if (rules.maxLength !== undefined && value.length > rules.maxLength) {
    throw new Error(`\`${prop}\` must be ${description}${length}, got '${value.slice(0, 40)}...' (${value.length} characters): shorten it to ${rules.maxLength} characters`);
  }
  if (!(rules.pattern ?? PRINTABLE_ASCII_NO_SPACE).test(value)) {
    fail(prop, description + length, value, 'remove spaces, accents and other characters the rule does not allow');
  }
}

// ---------------------------------------------------------------------------------------------
// Domain names

/** Options of {@link domainName}. */
export interface DomainNameOptions {
  /** Accept `*` as the first label (`*.example.com`). @default false */
  readonly allowWildcard?: boolean;
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * A DNS name (RFC 1123): labels of 1 to 63 letters, digits and hyphens, not starting or
 * ending with a hyphen, at most 253 characters in all, no empty label, an optional trailing
 * dot; `*` as the first label with `allowWildcard`. A name with a token in it is accepted.
 */
export function domainName(prop: string, value: string | undefined, options: DomainNameOptions = {}): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  const requirement = `a domain name like 'api.example.com' (labels of 1 to 63 letters, digits and hyphens, at most 253 characters${options.allowWildcard ? ', `*.` allowed first' : ''})`;
  if (typeof value !== 'string' || value.length === 0) {
    fail(prop, requirement, value, 'give the full name, e.g. \'api.example.com\'');
  }
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length > 253) {
    fail(prop, requirement, value, `shorten it: it has ${name.length} characters`);
  }
  const labels = name.split('.');
  labels.forEach((label, i) => {
    if (label === '*' && i === 0 && labels.length > 1) {
      if (options.allowWildcard) return;
      fail(prop, requirement, value, 'a wildcard is not allowed here: give one name, e.g. \'api.example.com\'');
    }
    if (!DNS_LABEL.test(label)) {
      const why = label.length === 0 ? 'an empty label (two dots, or a leading dot)'
        : label.length > 63 ? `the label '${label.slice(0, 20)}...' has ${label.length} characters (at most 63)`
          : `the label '${label}' has characters other than letters, digits and inner hyphens`;
      fail(prop, requirement, value, `fix ${why}`);
    }
  });
}

/** The name without a trailing dot, in lower case. */
function canonicalName(name: string): string {
  return (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
}

/**
 * `domain` is `zoneName` itself or a name under it (case-insensitive, trailing dots ignored).
 * Accepted when either is a token.
 */
export function domainInZone(prop: string, domain: string | undefined, zoneName: string | undefined): void {
  if (domain === undefined || zoneName === undefined || Token.isUnresolved(domain) || Token.isUnresolved(zoneName)) return;
  const d = canonicalName(domain);
  const z = canonicalName(zoneName);
  if (d !== z && !d.endsWith(`.${z}`)) {
    fail(prop, `in the hosted zone '${zoneName}' (the zone itself or a name ending in '.${z}')`, domain,
      `use a name like 'api.${z}', or the hosted zone that holds '${domain}'`);
  }
}

// ---------------------------------------------------------------------------------------------
// CIDR blocks

/** A parsed IPv4 CIDR block. */
export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number. */
  readonly network: number;
  readonly prefix: number;
}

/** A parsed IPv6 CIDR block. */
export interface Ipv6Cidr {
  /** The network address. */
  readonly network: bigint;
  readonly prefix: number;
}

/** Options of the CIDR helpers. */
export interface CidrOptions {
  /**
   * Accept an address with host bits set (`10.0.0.1/16`), as security group rules do
   * (EC2 stores the block). A VPC or subnet block must start on its boundary.
   * @default false
   */
  readonly allowHostBits?: boolean;
}

const OCTET = /^(0|[1-9]\d{0,2})$/;
const PREFIX = /^(0|[1-9]\d{0,2})$/;

/** The 32-bit value of a dotted quad, or undefined. No leading zeros (read as octal by some tools). */
function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** Dotted-quad form of an unsigned 32-bit address. */
export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join('.');
}

/**
 * An IPv4 CIDR block `a.b.c.d/n`: four octets 0–255 without leading zeros, a prefix 0–32,
 * no host bits set unless `allowHostBits`. Returns the parsed block, or undefined for a token.
 */
export function cidrV4(prop: string, value: string | undefined, options: CidrOptions = {}): Ipv4Cidr | undefined {
  if (value === undefined || Token.isUnresolved(value)) return undefined;
  const [ip, prefixText, ...rest] = typeof value === 'string' ? value.split('/') : [];
  const address = ip === undefined ? undefined : parseIpv4(ip);
  const prefix = prefixText !== undefined && PREFIX.test(prefixText) ? Number(prefixText) : NaN;
  if (address === undefined || rest.length > 0 || !(prefix <= 32)) {
    fail(prop, 'an IPv4 CIDR block like \'10.0.0.0/16\'', value,
      'write a.b.c.d/n: four numbers 0 to 255 without leading zeros, and a prefix 0 to 32');
  }
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = (address & mask) >>> 0;
  if (network !== address && !options.allowHostBits) {
    throw new Error(`\`${prop}\` has host bits set: '${value}' is not the start of a /${prefix} block; use '${formatIpv4(network)}/${prefix}'`);
  }
  return { network, prefix };
}

const HEXTET = /^[0-9a-f]{1,4}$/i;

/** The 128-bit value of an IPv6 address (RFC 4291 text forms, `::` once, a dotted-quad tail), or undefined. */
function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): string[] | undefined => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const all = [...head, ...tail];
  // an embedded IPv4 address (::ffff:10.0.0.1) counts as two groups, last only
  const last = all[all.length - 1];
  let v4: number | undefined;
  if (last !== undefined && last.includes('.')) {
    v4 = parseIpv4(last);
    if (v4 === undefined) return undefined;
    (tail.length > 0 ? tail : head).pop();
  }
  const hextets = head.length + tail.length + (v4 !== undefined ? 2 : 0);
  if (![...head, ...tail].every((g) => HEXTET.test(g))) return undefined;
  if (halves.length === 2 ? hextets > 7 : hextets !== 8) return undefined;
  const fill = 8 - hextets;
  const values = [...head.map((g) => BigInt(`0x${g}`)), ...Array<bigint>(fill).fill(BigInt(0)), ...tail.map((g) => BigInt(`0x${g}`))];
  if (v4 !== undefined) values.push(BigInt(v4 >>> 16), BigInt(v4 & 0xffff));
  return values.reduce((acc, g) => (acc << BigInt(16)) | g, BigInt(0));
}

/** Compressed text form of a 128-bit address (RFC 5952, without the dotted-quad tail). */
export function formatIpv6(address: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((address >> BigInt(16 * (7 - i))) & BigInt(0xffff)));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/**
 * An IPv6 CIDR block like `2001:db8::/32` (any RFC 4291 text form: compressed, full, or
 * with a dotted-quad tail), a prefix 0–128, no host bits set unless `allowHostBits`.
 * Returns the parsed block, or undefined for a token.
 */
export function cidrV6(prop: string, value: string | undefined, options: CidrOptions = {}): Ipv6Cidr | undefined {
  if (value === undefined || Token.isUnresolved(value)) return undefined;
  const [ip, prefixText, ...rest] = typeof value === 'string' ? value.split('/') : [];
  const address = ip === undefined ? undefined : parseIpv6(ip);
  const prefix = prefixText !== undefined && PREFIX.test(prefixText) ? Number(prefixText) : NaN;
  if (address === undefined || rest.length > 0 || !(prefix <= 128)) {
    fail(prop, 'an IPv6 CIDR block like \'2001:db8::/32\'', value,
      'write <address>/n: eight groups of up to 4 hex digits (`::` once for a run of zeros), and a prefix 0 to 128');
  }
  const all = (BigInt(1) << BigInt(128)) - BigInt(1);
  const mask = prefix === 0 ? BigInt(0) : (all << BigInt(128 - prefix)) & all;
  const network = address & mask;
  if (network !== address && !options.allowHostBits) {
    throw new Error(`\`${prop}\` has host bits set: '${value}' is not the start of a /${prefix} block; use '${formatIpv6(network)}/${prefix}'`);
  }
  return { network, prefix };
}

/**
 * An IPv4 or IPv6 CIDR block (see {@link cidrV4}, {@link cidrV6}). Returns the family, or
 * undefined for a token.
 */
export function cidr(prop: string, value: string | undefined, options: CidrOptions = {}): 'ipv4' | 'ipv6' | undefined {
  if (value === undefined || Token.isUnresolved(value)) return undefined;
  if (typeof value === 'string' && value.includes(':')) {
    cidrV6(prop, value, options);
    return 'ipv6';
  }
  if (typeof value === 'string' && /^[\d.]+\/\d*$/.test(value)) {
    cidrV4(prop, value, options);
    return 'ipv4';
  }
  return fail(prop, 'a CIDR block, IPv4 like \'203.0.113.0/24\' or IPv6 like \'2001:db8::/32\'', value,
    'write it as <address>/<prefix> (\'0.0.0.0/0\' for every IPv4 address, \'::/0\' for every IPv6 one)');
}

// ---------------------------------------------------------------------------------------------
// ARNs

/** Options of {@link arn}. */
export interface ArnOptions {
  /** The service the ARN must name, e.g. `wafv2`. @default - any */
  readonly service?: string;
  /** The start of the resource part, e.g. `regional/webacl/`. @default - any */
  readonly resourcePrefix?: string;
  /** What the ARN should point to, for the error, e.g. "a WAFv2 web ACL". @default "an ARN" */
  readonly description?: string;
}

// aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc, ...
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
const PARTITION = /^aws(-[a-z]+)*$/;
const SERVICE = /^[a-z0-9][a-z0-9-]*$/;
const REGION = /^([a-z]{2}(-[a-z]+)+-\d+)?$/;
const ACCOUNT = /^(\d{12}|aws)?$/;

/**
 * An ARN `arn:<partition>:<service>:<region>:<account>:<resource>`: a partition `aws` or
 * `aws-...` (aws-cn, aws-us-gov, aws-iso, aws-iso-b, ...), a lower-case service, an optional
 * region, an optional 12-digit account, a non-empty resource without spaces; `options.service`
 * and `options.resourcePrefix` when given. An ARN with tokens (e.g. `${Aws.PARTITION}`) is
 * checked only in its literal fields; a whole token is accepted.
 */
export function arn(prop: string, value: string | undefined, options: ArnOptions = {}): void {
  if (value === undefined) return;
  const what = options.description ?? 'an ARN';
  const example = `arn:aws:${options.service ?? '<service>'}:<region>:<account>:${options.resourcePrefix ?? ''}<resource>`;
  const requirement = `${what} like '${example}'`;
  if (typeof value !== 'string') fail(prop, requirement, value, `give the ARN (${example})`);
  const fields = value.split(':');
  const [scheme, partition, service, region, account] = fields;
  const resource = fields.slice(5).join(':');
  // a field is checked only when it has no token in it (tokens hold no ':')
  const literal = (field: string | undefined) => field !== undefined && !Token.isUnresolved(field);
  const bad = (field: string | undefined, re: RegExp) => literal(field) && !re.test(field!);
  if (Token.isUnresolved(value) && fields.length === 1) return; // a whole token
  const problems: string[] = [];
  if (fields.length < 6 && !Token.isUnresolved(value)) problems.push('it needs six colon-separated fields');
  if (literal(scheme) && scheme !== 'arn') problems.push('it must start with \'arn:\'');
  if (bad(partition, PARTITION)) problems.push(`'${partition}' is not a partition (aws, aws-cn, aws-us-gov, aws-iso, ...)`);
  if (bad(service, SERVICE)) problems.push(`'${service}' is not a service name`);
  else if (options.service !== undefined && literal(service) && service !== options.service) problems.push(`the service is '${service}', not '${options.service}'`);
  if (bad(region, REGION)) problems.push(`'${region}' is not a region`);
  if (bad(account, ACCOUNT)) problems.push(`'${account}' is not a 12-digit account`);
  if (fields.length >= 6 && !Token.isUnresolved(resource)) {
    if (resource.length === 0 || /\s/.test(resource)) {
      problems.push('the resource part is empty or has spaces');
    } else if (options.resourcePrefix !== undefined && !resource.startsWith(options.resourcePrefix)) {
      problems.push(`the resource must start with '${options.resourcePrefix}'`);
    }
  }
  if (problems.length > 0) {
    fail(prop, requirement, value, `${problems.join('; ')}; copy the ARN from the console or the CLI`);
  }
}

// ---------------------------------------------------------------------------------------------
// Paths

/** Options of {@link urlPath}. */
export interface UrlPathOptions {
  /** @default - no limit */
  readonly maxLength?: number;
}

/**
 * A URL path: a leading `/`, no spaces or control characters, at most `maxLength` characters.
 * A path with a token in it is accepted.
 */
export function urlPath(prop: string, value: string | undefined, options: UrlPathOptions = {}): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  const length = options.maxLength !== undefined ? `, at most ${options.maxLength} characters` : '';
  const requirement = `a URL path like '/health' (a leading '/', no spaces or control characters${length})`;
  if (typeof value !== 'string' || !value.startsWith('/')) {
    fail(prop, requirement, value, `start it with '/'${typeof value === 'string' && value.length > 0 ? `, e.g. '/${value}'` : ', e.g. \'/\''}`);
  }
  if (/\s/.test(value) || hasControlCharacter(value)) {
    fail(prop, requirement, value, 'remove the spaces and control characters (percent-encode them: %20)');
  }
  if (options.maxLength !== undefined && value.length > options.maxLength) {
    fail(prop, requirement, value, `shorten it: it has ${value.length} characters`);
  }
}

// ---------------------------------------------------------------------------------------------
// Durations

/** Bounds of a duration, in seconds, both inclusive. */
export interface DurationRange {
  readonly minSeconds?: number;
  readonly maxSeconds?: number;
  /** Reject durations that are not a whole number of seconds (CloudFormation takes seconds). @default true */
  readonly wholeSeconds?: boolean;
  /**
   * The unit the value is converted to (aws-cdk-lib's `toSeconds()`, `toMinutes()`): a token
   * duration must then be written in it, as a token cannot be converted at synth
   * (`Duration.minutes(param).toSeconds()` throws an error naming no prop).
   * @default - token durations are accepted in any unit
   */
  readonly tokenUnit?: 'seconds' | 'minutes';
}

/**
 * Throws when a token duration is written in another unit than the one it is converted to:
 * aws-cdk-lib cannot multiply or divide a token at synth. A literal duration passes.
 */
export function tokenDurationUnit(prop: string, d: Duration | undefined, unit: 'seconds' | 'minutes'): void {
  if (d === undefined || !d.isUnresolved() || d.unitLabel() === unit) return;
  throw new Error(`\`${prop}\` is a token written as Duration.${d.unitLabel()}(...), but it is written to the template in ${unit} and a token cannot be converted ` +
    `at synth (its value is only known at deploy time): write it as Duration.${unit}(<token>), e.g. with a parameter that holds ${unit}`);
}

/**
 * A finite duration within `range`, a whole number of seconds unless `wholeSeconds: false`
 * (`Duration.millis(1500)` cannot be written to a property in seconds). A token duration is
 * accepted (in `tokenUnit` only, when given).
 */
export function duration(prop: string, d: Duration | undefined, range: DurationRange = {}): void {
  if (d !== undefined && range.tokenUnit !== undefined) tokenDurationUnit(prop, d, range.tokenUnit);
  if (d === undefined || d.isUnresolved()) return;
  const whole = range.wholeSeconds ?? true;
  const bounds = rangeText({ min: range.minSeconds, max: range.maxSeconds });
  const requirement = `${whole ? 'a whole number of seconds' : 'a finite duration'}${bounds ? ` ${bounds} seconds` : ''}`;
  const written = d.toString(); // Duration.millis(1500), as the user wrote it
  let ms: number;
  try {
    ms = d.toMilliseconds({ integral: false });
  } catch {
    ms = NaN;
  }
  if (!Number.isFinite(ms)) {
    failShown(prop, requirement, written, `use a finite duration, e.g. Duration.seconds(${range.minSeconds ?? 30})`);
  }
  const seconds = ms / 1000;
  if (whole && !Number.isInteger(seconds)) {
    failShown(prop, requirement, written, `use Duration.seconds(${Math.max(range.minSeconds ?? 1, Math.round(seconds))}): CloudFormation takes whole seconds`);
  }
  if ((range.minSeconds !== undefined && seconds < range.minSeconds) || (range.maxSeconds !== undefined && seconds > range.maxSeconds)) {
    failShown(prop, requirement, written, `use a duration ${bounds} seconds`);
  }
}

// ---------------------------------------------------------------------------------------------
// Log retention

const FINITE_RETENTION_DAYS: ReadonlyMap<number, string> = new Map(
  Object.entries(logs.RetentionDays)
    .filter(([name, days]) => typeof days === 'number' && name !== 'INFINITE')
    .map(([name, days]) => [days as number, name]),
);

/**
 * A finite log retention: one of the `RetentionDays` values except `INFINITE` (the project
 * keeps no log forever; the audit's LOG1 rule flags it). NaN, Infinity and other numbers are
 * rejected. A token is accepted.
 */
export function retention(prop: string, value: logs.RetentionDays | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (value === logs.RetentionDays.INFINITE) {
    throw new Error(`\`${prop}\` must be a finite retention, got RetentionDays.INFINITE (${value}): logs kept forever cost without end (the LOG1 rule flags them); use e.g. RetentionDays.ONE_YEAR, or RetentionDays.TEN_YEARS for records you must keep`);
  }
  if (!FINITE_RETENTION_DAYS.has(value)) {
    fail(prop, `one of the RetentionDays values (${[...FINITE_RETENTION_DAYS.keys()].join(', ')} days)`, value,
      'use a RetentionDays member, e.g. RetentionDays.ONE_MONTH');
  }
}
