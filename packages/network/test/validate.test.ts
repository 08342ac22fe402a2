import { Aws, Duration, Lazy, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  arn, cidr, cidrV4, cidrV6, domainInZone, domainName, duration, finiteNumber, formatIpv6,
  nonEmptyName, retention, synthTimeValue, tokenDurationUnit, urlPath, wholeNumber,
} from '../src/private/validate';

const stringToken = Lazy.string({ produce: () => 'x' });
const numberToken = Token.asNumber({ Ref: 'Count' });

describe('wholeNumber', () => {
  test('the message of DESIGN.md: prop, range, value, fix', () => {
    expect(() => wholeNumber('desiredCount', -1, { min: 0, max: 5000 }))
      .toThrow('`desiredCount` must be a whole number from 0 to 5000, got -1: use a whole number from 0 to 5000');
  });
  test.each([NaN, Infinity, -Infinity, 1.5, 5001, -1])('rejects %s', (value) => {
    expect(() => wholeNumber('desiredCount', value, { min: 0, max: 5000 })).toThrow(new RegExp(`\`desiredCount\` must be a whole number from 0 to 5000, got ${value}`));
  });
  test.each([0, 1, 5000, undefined])('accepts %s (the bounds are inclusive; undefined is a default)', (value) => {
    expect(() => wholeNumber('desiredCount', value, { min: 0, max: 5000 })).not.toThrow();
  });
  test('one bound, and a custom fix', () => {
    expect(() => wholeNumber('maxAzs', 0, { min: 1, fix: 'use 2 or more' })).toThrow('`maxAzs` must be a whole number >= 1, got 0: use 2 or more');
    expect(() => wholeNumber('port', 70000, { max: 65535 })).toThrow('`port` must be a whole number <= 65535, got 70000');
  });
  test('a number token is accepted (CloudFormation resolves it)', () => {
    expect(() => wholeNumber('desiredCount', numberToken, { min: 0, max: 5000 })).not.toThrow();
  });
});

describe('finiteNumber', () => {
  test.each([NaN, Infinity, -Infinity, -0.5])('rejects %s', (value) => {
    expect(() => finiteNumber('threshold', value, { min: 0 })).toThrow(new RegExp(`\`threshold\` must be a finite number >= 0, got ${value}`));
  });
  test.each([0, 0.5, 1e9, undefined, numberToken])('accepts %s', (value) => {
    expect(() => finiteNumber('threshold', value, { min: 0 })).not.toThrow();
  });
});

describe('synthTimeValue', () => {
  test('a token is rejected with the reason and the fix', () => {
    expect(() => synthTimeValue('maxAzs', numberToken, 'it decides the subnets', 'use a number'))
      .toThrow(/`maxAzs` must be known at synth time \(it decides the subnets\), got a token \(-1\.8881545897087\d+e\+289\): use a number/);
    expect(() => synthTimeValue('name', stringToken, 'why', 'fix')).toThrow(/`name` must be known at synth time/);
  });
  test('literals and undefined are accepted', () => {
    expect(() => synthTimeValue('maxAzs', 2, 'why', 'fix')).not.toThrow();
    expect(() => synthTimeValue('maxAzs', undefined, 'why', 'fix')).not.toThrow();
  });
});

describe('nonEmptyName', () => {
  test.each([
    ['', /`serviceName` must be a non-empty name of printable ASCII characters without spaces, got '': give a name/],
    ['my service', /got 'my service': remove spaces/],
    ['café', /got 'café'/],
    ['tab\there', /got 'tab\there'/],
  ])('rejects %j', (value, message) => {
    expect(() => nonEmptyName('serviceName', value)).toThrow(message);
  });
  test('maxLength: the value is shortened in the message, the length given', () => {
    expect(() => nonEmptyName('serviceName', 'a'.repeat(256), { maxLength: 255 }))
      .toThrow(/`serviceName` must be .* \(at most 255 characters\), got 'a{40}\.\.\.' \(256 characters\): shorten it to 255 characters/);
    expect(() => nonEmptyName('serviceName', 'a'.repeat(255), { maxLength: 255 })).not.toThrow();
  });
  test('pattern and description', () => {
    const rules = { pattern: /^[a-zA-Z0-9_-]+$/, description: 'letters, digits, hyphens and underscores' };
    expect(() => nonEmptyName('serviceName', 'api.v1', rules)).toThrow(/`serviceName` must be letters, digits, hyphens and underscores, got 'api.v1'/);
    expect(() => nonEmptyName('serviceName', 'api_v1-2', rules)).not.toThrow();
  });
  test.each(['api', 'Api-1_x', undefined])('accepts %s', (value) => {
    expect(() => nonEmptyName('serviceName', value)).not.toThrow();
  });
  test('a name with a token in it is accepted', () => {
    expect(() => nonEmptyName('serviceName', `svc ${stringToken}`)).not.toThrow();
  });
});

describe('domainName', () => {
  test.each([
    ['', /`domainName` must be a domain name like 'api.example.com'.*got ''/],
    ['api..example.com', /got 'api..example.com': fix an empty label/],
    ['.example.com', /fix an empty label/],
    ['-api.example.com', /the label '-api' has characters other than/],
    ['api-.example.com', /the label 'api-'/],
    ['api_v1.example.com', /the label 'api_v1'/],
    ['my api.example.com', /the label 'my api'/],
    [`${'a'.repeat(64)}.example.com`, /has 64 characters \(at most 63\)/],
    [Array(64).fill('abc').join('.'), /shorten it: it has 255 characters/],
    ['*.example.com', /a wildcard is not allowed here/],
    ['api.*.example.com', /the label '\*'/],
    ['*', /the label '\*'/],
  ])('rejects %j', (value, message) => {
    expect(() => domainName('domainName', value)).toThrow(message);
  });
  test.each([
    'api.example.com', 'API.Example.COM', 'example.com.', 'xn--bcher-kva.example', `${'a'.repeat(63)}.example.com`,
    [...Array(62).fill('abc'), 'a'].join('.') /* 249 characters */, '1.2.example.com', 'localhost', undefined,
  ])('accepts %s', (value) => {
    expect(() => domainName('domainName', value)).not.toThrow();
  });
  test('the wildcard where the option allows it', () => {
    expect(() => domainName('certificateDomain', '*.example.com', { allowWildcard: true })).not.toThrow();
    expect(() => domainName('certificateDomain', '*.*.example.com', { allowWildcard: true })).toThrow(/the label '\*'/);
  });
  test('a name with a token in it is accepted', () => {
    expect(() => domainName('domainName', `api.${stringToken}`)).not.toThrow();
  });
});

describe('domainInZone', () => {
  test('a name outside its zone names both and the fix', () => {
    expect(() => domainInZone('domainName', 'api.other.com', 'example.com'))
      .toThrow("`domainName` must be in the hosted zone 'example.com' (the zone itself or a name ending in '.example.com'), got 'api.other.com': use a name like 'api.example.com', or the hosted zone that holds 'api.other.com'");
    expect(() => domainInZone('domainName', 'notexample.com', 'example.com')).toThrow(/must be in the hosted zone/);
  });
  test.each([
    ['api.example.com', 'example.com'], ['example.com', 'example.com'], ['API.Example.com.', 'example.com.'],
    ['a.b.example.com', 'example.com'],
  ])('accepts %s in %s', (domain, zone) => {
    expect(() => domainInZone('domainName', domain, zone)).not.toThrow();
  });
  test('tokens are accepted', () => {
    expect(() => domainInZone('domainName', stringToken, 'example.com')).not.toThrow();
    expect(() => domainInZone('domainName', 'api.example.com', stringToken)).not.toThrow();
  });
});

describe('cidrV4', () => {
  test.each([
    ['10.0.0.0/33', /`allowedCidrs` must be an IPv4 CIDR block like '10.0.0.0\/16', got '10.0.0.0\/33': write a.b.c.d\/n/],
    ['300.1.1.1/16', /got '300.1.1.1\/16'/],
    ['10.0.0/16', /got '10.0.0\/16'/],
    ['10.0.0.0', /got '10.0.0.0'/],
    ['10.0.0.0/', /got '10.0.0.0\/'/],
    ['10.0.0.0/16/1', /got '10.0.0.0\/16\/1'/],
    ['010.0.0.0/8', /without leading zeros/],
    ['10.0.0.0/+8', /got '10.0.0.0\/\+8'/],
    [' 10.0.0.0/8', /got ' 10.0.0.0\/8'/],
    ['10.0.0.1/16', /`allowedCidrs` has host bits set: '10.0.0.1\/16' is not the start of a \/16 block; use '10.0.0.0\/16'/],
  ])('rejects %s', (value, message) => {
    expect(() => cidrV4('allowedCidrs', value)).toThrow(message);
  });
  test.each([
    ['10.0.0.0/16', 0x0a000000, 16], ['192.168.1.0/24', 0xc0a80100, 24], ['0.0.0.0/0', 0, 0],
    ['255.255.255.255/32', 0xffffffff, 32], ['100.64.0.0/10', 0x64400000, 10],
  ])('accepts %s', (value, network, prefix) => {
    expect(cidrV4('cidr', value)).toEqual({ network, prefix });
  });
  test('host bits with allowHostBits (a security group rule)', () => {
    expect(cidrV4('allowedCidrs', '10.0.0.1/16', { allowHostBits: true })).toEqual({ network: 0x0a000000, prefix: 16 });
  });
  test('a token and undefined are accepted', () => {
    expect(cidrV4('cidr', stringToken)).toBeUndefined();
    expect(cidrV4('cidr', undefined)).toBeUndefined();
  });
});

describe('cidrV6', () => {
  test.each([
    ['2001:db8::/129', /`allowedCidrs` must be an IPv6 CIDR block like '2001:db8::\/32', got '2001:db8::\/129': write <address>\/n/],
    ['2001:db8::', /got '2001:db8::'/],
    ['2001:db8:::/32', /got '2001:db8:::\/32'/],
    ['2001::db8::/32', /got '2001::db8::\/32'/],
    ['2001:db8:0:0:0:0:0:0:0/64', /got '2001:db8:0:0:0:0:0:0:0\/64'/],
    ['2001:db8:0:0:0:0:0/64', /got '2001:db8:0:0:0:0:0\/64'/],
    ['2001:db8::g/64', /got '2001:db8::g\/64'/],
    ['12345::/16', /got '12345::\/16'/],
    ['::ffff:300.0.0.0/104', /got '::ffff:300.0.0.0\/104'/],
    ['2001:db8::1/32', /`allowedCidrs` has host bits set: '2001:db8::1\/32' is not the start of a \/32 block; use '2001:db8::\/32'/],
  ])('rejects %s', (value, message) => {
    expect(() => cidrV6('allowedCidrs', value)).toThrow(message);
  });
  test.each([
    ['::/0', BigInt(0), 0],
    ['2001:db8::/32', BigInt('0x20010db8') << BigInt(96), 32],
    ['2001:DB8:0:0:0:0:0:0/64', BigInt('0x20010db8') << BigInt(96), 64],
    ['2001:db8:1:2::/64', BigInt('0x20010db800010002') << BigInt(64), 64],
    ['::1/128', BigInt(1), 128],
    ['fe80::/10', BigInt('0xfe80') << BigInt(112), 10],
    ['::ffff:10.0.0.0/104', (BigInt(0xffff) << BigInt(32)) | BigInt(0x0a000000), 104],
    ['2001:db8:0:1:2:3:4::/112', BigInt('0x20010db8000000010002000300040000'), 112],
  ])('accepts %s', (value, network, prefix) => {
    expect(cidrV6('allowedCidrs', value)).toEqual({ network, prefix });
  });
  test('host bits with allowHostBits; the suggested block is in compressed form', () => {
    expect(cidrV6('allowedCidrs', '2001:db8::1/64', { allowHostBits: true })?.prefix).toBe(64);
    expect(formatIpv6(BigInt('0x20010db8000000000001000000000000'))).toBe('2001:db8:0:0:1::');
    expect(formatIpv6(BigInt(0))).toBe('::');
  });
  test('a token is accepted', () => {
    expect(cidrV6('allowedCidrs', stringToken)).toBeUndefined();
  });
});

describe('cidr (either family)', () => {
  test.each([
    ['10.0.0.0/33', /IPv4 CIDR block/], ['2001:db8::/129', /IPv6 CIDR block/],
    ['', /`allowedCidrs` must be a CIDR block, IPv4 like '203.0.113.0\/24' or IPv6 like '2001:db8::\/32', got ''/],
    ['anywhere', /got 'anywhere'/], ['10.0.0.0', /got '10.0.0.0'/],
  ])('rejects %s', (value, message) => {
    expect(() => cidr('allowedCidrs', value)).toThrow(message);
  });
  test('returns the family; a token is accepted', () => {
    expect(cidr('allowedCidrs', '203.0.113.0/24')).toBe('ipv4');
    expect(cidr('allowedCidrs', '0.0.0.0/0')).toBe('ipv4');
    expect(cidr('allowedCidrs', '::/0')).toBe('ipv6');
    expect(cidr('allowedCidrs', '2001:db8::/32')).toBe('ipv6');
    expect(cidr('allowedCidrs', stringToken)).toBeUndefined();
  });
});

describe('arn', () => {
  const waf = { service: 'wafv2', resourcePrefix: 'regional/webacl/', description: 'a regional WAFv2 web ACL ARN' };
  test.each([
    ['not-an-arn', /`webAclArn` must be an ARN like 'arn:aws:<service>:<region>:<account>:<resource>', got 'not-an-arn': it needs six colon-separated fields; it must start with 'arn:'/],
    ['', /it needs six colon-separated fields/],
    ['arn:aws:s3:::', /the resource part is empty/],
    ['arn:amazon:s3:::bucket', /'amazon' is not a partition/],
    ['arn:aws:S3:::bucket', /'S3' is not a service name/],
    ['arn:aws:lambda:us east 1:123456789012:function:f', /'us east 1' is not a region/],
    ['arn:aws:lambda:us-east-1:1234:function:f', /'1234' is not a 12-digit account/],
    ['arn:aws:lambda:us-east-1:123456789012:function:my function', /the resource part is empty or has spaces/],
  ])('rejects %j', (value, message) => {
    expect(() => arn('webAclArn', value)).toThrow(message);
  });
  test('service and resource prefix', () => {
    expect(() => arn('webAclArn', 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/a/1', waf))
      .toThrow(/`webAclArn` must be a regional WAFv2 web ACL ARN like 'arn:aws:wafv2:<region>:<account>:regional\/webacl\/<resource>'.*the resource must start with 'regional\/webacl\/'/);
    expect(() => arn('webAclArn', 'arn:aws:waf-regional:us-east-1:123456789012:webacl/1', waf)).toThrow(/the service is 'waf-regional', not 'wafv2'/);
  });
  test.each([
    'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/my-acl/0f1e2d3c',
    'arn:aws-cn:wafv2:cn-north-1:123456789012:regional/webacl/a/b',
    'arn:aws-us-gov:wafv2:us-gov-west-1:123456789012:regional/webacl/a/b',
    'arn:aws-iso-b:wafv2:us-isob-east-1:123456789012:regional/webacl/a/b',
  ])('accepts %s', (value) => {
    expect(() => arn('webAclArn', value, waf)).not.toThrow();
  });
  test.each([
    'arn:aws:s3:::my-bucket', 'arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::123456789012:role/path/role',
    'arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api:*',
  ])('accepts %s (empty region and account, resource with colons)', (value) => {
    expect(() => arn('arn', value)).not.toThrow();
  });
  test('tokens: a whole token is accepted, the literal fields of a partial one are checked', () => {
    expect(() => arn('webAclArn', stringToken, waf)).not.toThrow();
    expect(() => arn('webAclArn', `arn:${Aws.PARTITION}:wafv2:${Aws.REGION}:${Aws.ACCOUNT_ID}:regional/webacl/a/b`, waf)).not.toThrow();
    expect(() => arn('webAclArn', `arn:${Aws.PARTITION}:s3:::${stringToken}`, waf)).toThrow(/the service is 's3', not 'wafv2'/);
    expect(() => arn('webAclArn', `nope:${Aws.PARTITION}:wafv2:x`, waf)).toThrow(/it must start with 'arn:'/);
  });
});

describe('urlPath', () => {
  test.each([
    ['health', /`healthCheckPath` must be a URL path like '\/health' \(a leading '\/', no spaces or control characters\), got 'health': start it with '\/', e.g. '\/health'/],
    ['', /got '': start it with '\/', e.g. '\/'/],
    ['/he alth', /remove the spaces and control characters/],
    ['/health\n', /remove the spaces and control characters/],
  ])('rejects %j', (value, message) => {
    expect(() => urlPath('healthCheckPath', value)).toThrow(message);
  });
  test('maxLength', () => {
    expect(() => urlPath('healthCheckPath', `/${'a'.repeat(1024)}`, { maxLength: 1024 })).toThrow(/at most 1024 characters.*it has 1025 characters/);
    expect(() => urlPath('healthCheckPath', `/${'a'.repeat(1023)}`, { maxLength: 1024 })).not.toThrow();
  });
  test.each(['/', '/health', '/api/v1/items?id=1', '/%20', undefined])('accepts %s', (value) => {
    expect(() => urlPath('healthCheckPath', value)).not.toThrow();
  });
  test('a path with a token is accepted', () => {
    expect(() => urlPath('healthCheckPath', stringToken)).not.toThrow();
  });
});

describe('duration', () => {
  const range = { minSeconds: 5, maxSeconds: 300 };
  test('milliseconds that are not whole seconds: the fix names Duration.seconds', () => {
    expect(() => duration('healthCheckInterval', Duration.millis(1500), range))
      .toThrow("`healthCheckInterval` must be a whole number of seconds from 5 to 300 seconds, got Duration.millis(1500): use Duration.seconds(5): CloudFormation takes whole seconds");
    expect(() => duration('healthCheckInterval', Duration.millis(10500), range)).toThrow(/use Duration.seconds\(11\)/);
  });
  test.each([
    [Duration.seconds(4), /got Duration.seconds\(4\): use a duration from 5 to 300 seconds/],
    [Duration.minutes(6), /got Duration.minutes\(6\)/],
    [Duration.seconds(NaN), /`healthCheckInterval` must be .*, got Duration.seconds\(NaN\): use a finite duration/],
    [Duration.seconds(Infinity), /got Duration.seconds\(Infinity\): use a finite duration/],
  ])('rejects %s', (value, message) => {
    expect(() => duration('healthCheckInterval', value, range)).toThrow(message);
  });
  test.each([Duration.seconds(5), Duration.minutes(5), Duration.millis(30000), undefined])('accepts %s', (value) => {
    expect(() => duration('healthCheckInterval', value, range)).not.toThrow();
  });
  test('wholeSeconds: false accepts milliseconds; a token duration is accepted', () => {
    expect(() => duration('timeout', Duration.millis(1500), { minSeconds: 1, wholeSeconds: false })).not.toThrow();
    expect(() => duration('timeout', Duration.millis(500), { minSeconds: 1, wholeSeconds: false })).toThrow(/must be a finite duration >= 1 seconds/);
    expect(() => duration('healthCheckInterval', Duration.seconds(numberToken), range)).not.toThrow();
  });
});

describe('token durations are never converted between units', () => {
  test('tokenUnit: a token in another unit is refused naming the prop, the unit and the fix; in the unit it is accepted', () => {
    expect(() => duration('healthCheck.interval', Duration.minutes(numberToken), { minSeconds: 5, tokenUnit: 'seconds' }))
      .toThrow(/^`healthCheck.interval` is a token written as Duration.minutes\(...\), but it is written to the template in seconds and a token cannot be converted at synth.*write it as Duration.seconds\(<token>\)/);
    expect(() => duration('healthCheck.interval', Duration.seconds(numberToken), { minSeconds: 5, tokenUnit: 'seconds' })).not.toThrow();
    expect(() => tokenDurationUnit('bakeTime', Duration.hours(numberToken), 'minutes')).toThrow(/`bakeTime` is a token written as Duration.hours.*in minutes/);
    expect(() => tokenDurationUnit('bakeTime', Duration.minutes(numberToken), 'minutes')).not.toThrow();
  });
  test('literal durations in any unit pass tokenUnit (they are converted exactly)', () => {
    expect(() => duration('healthCheck.interval', Duration.minutes(1), { minSeconds: 5, tokenUnit: 'seconds' })).not.toThrow();
    expect(() => tokenDurationUnit('bakeTime', Duration.hours(1), 'minutes')).not.toThrow();
  });
});

describe('retention', () => {
  test('INFINITE is rejected with the fix (the LOG1 rule flags never-expiring logs)', () => {
    expect(() => retention('flowLogRetention', logs.RetentionDays.INFINITE))
      .toThrow(/`flowLogRetention` must be a finite retention, got RetentionDays.INFINITE \(9999\).*LOG1.*use e.g. RetentionDays.ONE_YEAR/);
  });
  test.each([Infinity, NaN, 0, 2, 30.5, -1])('%s is not a RetentionDays value', (value) => {
    expect(() => retention('flowLogRetention', value as logs.RetentionDays))
      .toThrow(new RegExp(`\`flowLogRetention\` must be one of the RetentionDays values \\(1, 3, 5, .*3653 days\\), got ${value}: use a RetentionDays member`));
  });
  test.each([logs.RetentionDays.ONE_DAY, logs.RetentionDays.ONE_MONTH, logs.RetentionDays.TEN_YEARS, undefined, numberToken])('accepts %s', (value) => {
    expect(() => retention('flowLogRetention', value)).not.toThrow();
  });
});
