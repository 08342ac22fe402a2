import { Token } from 'aws-cdk-lib';
import { cidr, cidrV6, formatIpv6, show } from '@portcullis/network/lib/private/validate';

/**
 * The checks of this package that the shared layer (`@portcullis/network/lib/private/validate`)
 * does not have: ALB listener-rule conditions, health-check matchers and the quotas that
 * shape a listener rule and a service. Each error names the prop, the value and the fix.
 */

/**
 * ALB quota "Condition values per rule": 5, not adjustable; path patterns and host headers
 * of one rule count together.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html
 */
export const MAX_CONDITION_VALUES_PER_RULE = 5;

/**
 * ECS quota "Target groups per service": 5, not adjustable (the default service counts its
 * own target group).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html
 */
export const MAX_TARGET_GROUPS_PER_SERVICE = 5;

/** Longest path pattern or host header of a listener rule condition. */
const MAX_CONDITION_VALUE_LENGTH = 128;

/**
 * Path pattern characters: A–Z, a–z, 0–9, `_ - . $ / ~ " ' @ : + &` and the wildcards `*`
 * (0 or more characters) and `?` (exactly one); at most 128 characters, case-sensitive.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html#path-conditions
 */
const PATH_PATTERN = /^[A-Za-z0-9_\-.$/~"'@:+&*?]+$/;

/**
 * Host header characters: A–Z, a–z, 0–9, `-`, `.`, and the wildcards `*` and `?`; at least one
 * `.`, only letters after the last one; at most 128 characters.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html#host-conditions
 */
const HOST_HEADER = /^[A-Za-z0-9\-.*?]+\.[A-Za-z]+$/;

function conditionList(prop: string, values: string[] | undefined, check: (item: string, i: number) => void): number {
  if (values === undefined) return 0;
  // a list token (e.g. a CommaDelimitedList parameter): CloudFormation takes it, ALB checks it at deploy time
  if (Token.isUnresolved(values)) return 0;
  if (!Array.isArray(values) || values.length === 0) {
    throw new Error(`\`${prop}\` must hold at least one value, got ${show(values)}: give a value, or leave \`${prop}\` out`);
  }
  values.forEach(check);
  return values.length;
}

/**
 * The conditions of one listener rule: each path pattern and host header within ALB's
 * syntax, at most 5 values in all. Values with a token in them are accepted as they are.
 * Returns nothing; throws naming the prop, the value and the fix.
 */
export function validateRuleConditions(pathPatterns: string[] | undefined, hostHeaders: string[] | undefined): void {
  const paths = conditionList('pathPatterns', pathPatterns, (p, i) => {
    if (Token.isUnresolved(p)) return;
    const prop = `pathPatterns[${i}]`;
    const requirement = `an ALB path pattern like '/orders/*' (1 to ${MAX_CONDITION_VALUE_LENGTH} characters: letters, digits, _ - . $ / ~ " ' @ : + & and the wildcards * and ?)`;
    if (typeof p !== 'string' || p.length === 0) {
      throw new Error(`\`${prop}\` must be ${requirement}, got ${show(p)}: give a pattern such as '/orders/*', or remove it`);
    }
    if (p.length > MAX_CONDITION_VALUE_LENGTH) {
      throw new Error(`\`${prop}\` must be ${requirement}, got '${p.slice(0, 40)}...' (${p.length} characters): shorten it, e.g. end it with a '*' wildcard`);
    }
    if (!PATH_PATTERN.test(p)) {
      const bad = [...new Set(p.replace(/[A-Za-z0-9_\-.$/~"'@:+&*?]/g, ''))].map((c) => `'${c}'`).join(', ');
      const hint = /[{}]/.test(p) ? `: ALB has no path parameters; use '${p.replace(/\{[^}]*\}/g, '*')}'` : '';
      throw new Error(`\`${prop}\` must be ${requirement}, got '${p}': remove ${bad}${hint}`);
    }
  });
  const hosts = conditionList('hostHeaders', hostHeaders, (h, i) => {
    if (Token.isUnresolved(h)) return;
    const prop = `hostHeaders[${i}]`;
    const requirement = `a host name like 'orders.example.com' or '*.example.com' (1 to ${MAX_CONDITION_VALUE_LENGTH} characters: letters, digits, - . and the wildcards * and ?; at least one '.', only letters after the last)`;
    if (typeof h !== 'string' || h.length === 0) {
      throw new Error(`\`${prop}\` must be ${requirement}, got ${show(h)}: give a host name, or remove it`);
    }
    if (h.length > MAX_CONDITION_VALUE_LENGTH) {
      throw new Error(`\`${prop}\` must be ${requirement}, got '${h.slice(0, 40)}...' (${h.length} characters): shorten it, or use a '*' wildcard`);
    }
    if (!HOST_HEADER.test(h)) {
      const fix = /\s/.test(h) ? 'remove the spaces'
        : /:/.test(h) ? 'remove the port (the host condition matches the name only)'
          : !h.includes('.') ? 'give the full name, e.g. \'orders.example.com\''
            : 'use letters, digits, hyphens, dots and * or ? only, and end with a top-level domain of letters';
      throw new Error(`\`${prop}\` must be ${requirement}, got '${h}': ${fix}`);
    }
  });
  if (paths + hosts > MAX_CONDITION_VALUES_PER_RULE) {
    throw new Error(`\`pathPatterns\` and \`hostHeaders\` must hold at most ${MAX_CONDITION_VALUES_PER_RULE} values together (ALB's limit of condition values per rule, not adjustable), ` +
      `got ${paths} + ${hosts} = ${paths + hosts}: use wildcards ('/orders*' matches '/orders' and '/orders/1'), or add the service again with another \`priority\` for the other values`);
  }
}

/**
 * `healthyHttpCodes` of an ALB target group: HTTP codes from 200 to 499, as one code
 * ('200'), a list ('200,302') or a range ('200-299'), or a mix ('200,300-399').
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Matcher.html
 */
export function validateHealthyHttpCodes(prop: string, codes: string | undefined): void {
  if (codes === undefined || Token.isUnresolved(codes)) return;
  const requirement = 'HTTP codes from 200 to 499: one (\'200\'), a list (\'200,302\') or a range (\'200-299\')';
  const fail = (why: string): never => {
    throw new Error(`\`${prop}\` must be ${requirement}, got ${show(codes)}: ${why}`);
  };
  if (typeof codes !== 'string' || codes.length === 0) fail('give a code such as \'200\', or leave it out for the default \'200\'');
  for (const item of codes.split(',')) {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(item);
    if (!m) fail(`'${item}' is not a 3-digit code or a range of two (no spaces)`);
    const from = Number(m![1]);
    const to = m![2] !== undefined ? Number(m![2]) : from;
    if (from < 200 || to > 499) fail(`'${item}' is outside 200 to 499 (ALB treats only these as answers of a healthy target)`);
    if (from > to) fail(`the range '${item}' runs backwards: write '${to}-${from}'`);
  }
}

/** A CIDR block of `allowedCidrs`, checked, as aws-cdk-lib's `Peer` takes it. */
export interface AllowedCidr {
  readonly family: 'ipv4' | 'ipv6';
  /** The block for `Peer.ipv4` / `Peer.ipv6`. */
  readonly peerCidr: string;
}

/**
 * `allowedCidrs`: IPv4 or IPv6 CIDR blocks ('203.0.113.0/24', '2001:db8::/32'), each on its
 * block's boundary (an address with host bits set, like '203.0.113.7/24', is rejected with
 * the block it stands for: in a security group rule it is ambiguous between one host and 256).
 * IPv6 in any RFC 4291 text form is accepted: `Peer.ipv6` takes lower-case hex only, so an
 * upper-case or dotted-quad form is handed to it compressed ('::ffff:203.0.113.0/120' becomes
 * '::ffff:cb00:7100/120', the same block). A token is taken as IPv4, as `Peer.ipv4` takes one.
 */
export function validateAllowedCidrs(prop: string, cidrs: string[], options: { allowEmpty?: boolean } = {}): AllowedCidr[] {
  if (cidrs.length === 0 && !options.allowEmpty) {
    throw new Error(`\`${prop}\` is empty: nobody could reach the load balancer; use ['0.0.0.0/0', '::/0'] for a public API, ` +
      'or make it internal (`internetFacing: false`) and admit security groups through its `connections`');
  }
  return cidrs.map((c, i) => {
    const family = cidr(`${prop}[${i}]`, c) ?? 'ipv4';
    if (family === 'ipv4' || /^[0-9a-f:]+\/\d+$/.test(c)) return { family, peerCidr: c };
    const block = cidrV6(`${prop}[${i}]`, c)!;
    return { family, peerCidr: `${formatIpv6(block.network)}/${block.prefix}` };
  });
}
