// "Wissel van organisatie": which organisation a request acts for (X-Organisation, one of the token's grants),
// and whether the caller's roles there satisfy a route's rule.
import { describe, expect, it } from 'vitest';
import {
  isAllowed,
  normaliseOrganisationKey,
  organisationGrantSchema,
  organisationKey,
  resolveActingOrganisation,
  type ActingOrganisation,
  type AuthRule,
  type OrganisationGrant,
  type Principal,
} from './organisations.ts';

const megaworld: OrganisationGrant = { type: 'enterprise', id: '0417390703', roles: ['legalRepresentative'] };
const syntra: OrganisationGrant = { type: 'provider', id: 'syntra-west', roles: ['counsellor'] };
const handel: OrganisationGrant = { type: 'partnership', id: 'handel', roles: ['consultant', 'votingMember'] };

const principal = (...organisations: OrganisationGrant[]): Principal => ({ userId: 'u-1', name: 'Jan Peeters', email: undefined, organisations });

describe('resolveActingOrganisation', () => {
  it('acts for the organisation named in X-Organisation, with the roles granted there', () => {
    expect(resolveActingOrganisation(principal(megaworld, syntra), 'provider:syntra-west')).toEqual({
      ok: true,
      acting: { type: 'provider', id: 'syntra-west', key: 'provider:syntra-west', roles: ['counsellor'] },
    });
  });

  it('accepts the enterprise number with dots in the header', () => {
    expect(resolveActingOrganisation(principal(megaworld, syntra), 'enterprise:0417.390.703')).toEqual({
      ok: true,
      acting: { type: 'enterprise', id: '0417390703', key: 'enterprise:0417390703', roles: ['legalRepresentative'] },
    });
  });

  it('ignores spaces around the header value', () => {
    expect(resolveActingOrganisation(principal(megaworld, handel), '  partnership:handel ')).toMatchObject({ ok: true, acting: { key: 'partnership:handel' } });
  });

  it('without the header, acts for the only organisation a user has', () => {
    expect(resolveActingOrganisation(principal(handel), undefined)).toEqual({
      ok: true,
      acting: { type: 'partnership', id: 'handel', key: 'partnership:handel', roles: ['consultant', 'votingMember'] },
    });
    expect(resolveActingOrganisation(principal(handel), '')).toMatchObject({ ok: true, acting: { key: 'partnership:handel' } });
    expect(resolveActingOrganisation(principal(handel), '   ')).toMatchObject({ ok: true, acting: { key: 'partnership:handel' } });
  });

  it('without the header and with several organisations, asks which one (400 organisation-required)', () => {
    const result = resolveActingOrganisation(principal(megaworld, syntra, handel), undefined);
    expect(result).toMatchObject({ ok: false, status: 400, code: 'organisation-required' });
    if (!result.ok) expect(result.detail).toContain('X-Organisation');
  });

  it('without the header and with several organisations, acts for none on a route that needs no organisation', () => {
    expect(resolveActingOrganisation(principal(megaworld, syntra, handel), undefined, { kind: 'signedIn' })).toEqual({ ok: true, acting: undefined });
    expect(resolveActingOrganisation(principal(megaworld, syntra, handel), 'school:handel', { kind: 'signedIn' })).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(
      resolveActingOrganisation(principal(megaworld, syntra, handel), undefined, { kind: 'organisation', allow: { partnership: ['consultant'] } }),
    ).toMatchObject({ ok: false, status: 400 });
  });

  it('without the header and without organisations, acts for none (enough for signed-in routes)', () => {
    expect(resolveActingOrganisation(principal(), undefined)).toEqual({ ok: true, acting: undefined });
  });

  it.each([
    ['an organisation not granted', 'enterprise:0403449823'],
    ['the right id with the wrong type', 'provider:0417390703'],
    ['an unknown type', 'school:handel'],
    ['a key without a type', '0417390703'],
    ['an empty id', 'enterprise:'],
    ['another case', 'Partnership:handel'],
  ])('refuses %s (403 organisation-not-granted)', (_what, header) => {
    expect(resolveActingOrganisation(principal(megaworld, handel), header)).toMatchObject({ ok: false, status: 403, code: 'organisation-not-granted' });
  });

  it('refuses any header for a user without organisations', () => {
    expect(resolveActingOrganisation(principal(), 'enterprise:0417390703')).toMatchObject({ ok: false, status: 403 });
  });

  it('returns a copy of the roles, so changing them does not change the grant', () => {
    const grant: OrganisationGrant = { type: 'enterprise', id: '0417390703', roles: ['user'] };
    const result = resolveActingOrganisation(principal(grant), undefined);
    if (result.ok) result.acting?.roles.push('legalRepresentative');
    expect(grant.roles).toEqual(['user']);
  });
});

describe('organisation keys', () => {
  it('are <type>:<id>; enterprise ids lose their dots, other ids are kept as they are', () => {
    expect(organisationKey('enterprise', '0417390703')).toBe('enterprise:0417390703');
    expect(normaliseOrganisationKey('enterprise:0417.390.703')).toBe('enterprise:0417390703');
    expect(normaliseOrganisationKey('partnership:handel')).toBe('partnership:handel');
    expect(normaliseOrganisationKey('provider:syntra.west')).toBe('provider:syntra.west');
  });
});

describe('isAllowed', () => {
  const acting = (grant: OrganisationGrant): ActingOrganisation => ({
    type: grant.type,
    id: grant.id,
    key: organisationKey(grant.type, grant.id),
    roles: [...grant.roles],
  });
  const submitRule: AuthRule = { kind: 'organisation', allow: { enterprise: ['legalRepresentative', 'user'], provider: ['counsellor'] } };
  const decideRule: AuthRule = { kind: 'organisation', allow: { partnership: ['votingMember'] } };

  it('lets anyone through public and signed-in routes, with or without an organisation', () => {
    expect(isAllowed({ kind: 'public' }, undefined)).toBe(true);
    expect(isAllowed({ kind: 'signedIn' }, undefined)).toBe(true);
    expect(isAllowed({ kind: 'signedIn' }, acting(megaworld))).toBe(true);
  });

  it('allows an organisation route when one of the roles is allowed for the acting organisation type', () => {
    expect(isAllowed(submitRule, acting(megaworld))).toBe(true);
    expect(isAllowed(submitRule, acting(syntra))).toBe(true);
    expect(isAllowed(decideRule, acting(handel))).toBe(true);
  });

  it('refuses when the organisation type is not in the rule', () => {
    expect(isAllowed(submitRule, acting(handel))).toBe(false);
    expect(isAllowed(decideRule, acting(megaworld))).toBe(false);
  });

  it('refuses when the type is allowed but none of the roles', () => {
    expect(isAllowed(decideRule, acting({ type: 'partnership', id: 'handel', roles: ['consultant', 'administrator'] }))).toBe(false);
    expect(isAllowed(submitRule, acting({ type: 'provider', id: 'syntra-west', roles: ['administrator'] }))).toBe(false);
  });

  it('refuses an organisation route without an acting organisation', () => {
    expect(isAllowed(submitRule, undefined)).toBe(false);
  });
});

describe('organisationGrantSchema', () => {
  it('accepts roles that exist for the organisation type', () => {
    expect(organisationGrantSchema.safeParse(megaworld).success).toBe(true);
    expect(organisationGrantSchema.safeParse({ type: 'department', id: 'dwse', roles: ['administrator'] }).success).toBe(true);
  });

  it('refuses a role of another organisation type, no roles, and ids with other characters', () => {
    expect(organisationGrantSchema.safeParse({ type: 'enterprise', id: '0417390703', roles: ['votingMember'] }).success).toBe(false);
    expect(organisationGrantSchema.safeParse({ type: 'enterprise', id: '0417390703', roles: [] }).success).toBe(false);
    expect(organisationGrantSchema.safeParse({ type: 'enterprise', id: '0417.390.703', roles: ['user'] }).success).toBe(false);
    expect(organisationGrantSchema.safeParse({ type: 'enterprise', id: 'a:b', roles: ['user'] }).success).toBe(false);
  });
});
