// Demo users of the local stage, one or more for every role. `npm run token -- <user>` prints a token.
// Enterprise ids are those of the seed KBO extract (infra/local/seed/kbo/README.md).
import type { OrganisationGrant } from '../../../shared/domain/organisations.ts';

export type DemoUser = { sub: string; name: string; email: string; organisations: OrganisationGrant[]; description: string };

export const demoUsers: Record<string, DemoUser> = {
  'an.peeters': {
    sub: 'demo-an-peeters',
    name: 'An Peeters',
    email: 'an.peeters@bakkerij.werkplekduaal.test',
    description: 'Wettelijk vertegenwoordiger van Bakkerij Peeters, ook gebruiker bij Mega World',
    organisations: [
      { type: 'enterprise', id: '0412345614', roles: ['legalRepresentative'] },
      { type: 'enterprise', id: '0417390703', roles: ['user'] },
    ],
  },
  'jan.mega': {
    sub: 'demo-jan-mega',
    name: 'Jan Van Mega',
    email: 'jan@megaworld.werkplekduaal.test',
    description: 'Wettelijk vertegenwoordiger van Mega World (0417.390.703)',
    organisations: [{ type: 'enterprise', id: '0417390703', roles: ['legalRepresentative'] }],
  },
  'sofie.trajectbegeleider': {
    sub: 'demo-sofie',
    name: 'Sofie Claes',
    email: 'sofie.claes@campus-brugge.werkplekduaal.test',
    description: 'Trajectbegeleider bij Campus Duaal Brugge',
    organisations: [{ type: 'provider', id: 'campus-brugge', roles: ['counsellor'] }],
  },
  'pieter.beheerder': {
    sub: 'demo-pieter',
    name: 'Pieter Maes',
    email: 'pieter.maes@syntra-mechelen.werkplekduaal.test',
    description: 'Beheerder en trajectbegeleider bij Syntra Mechelen',
    organisations: [{ type: 'provider', id: 'syntra-mechelen', roles: ['administrator', 'counsellor'] }],
  },
  'karim.consulent': {
    sub: 'demo-karim',
    name: 'Karim El Amrani',
    email: 'karim@handel.werkplekduaal.test',
    description: 'Sectorconsulent bij het Sectoraal Partnerschap Handel',
    organisations: [{ type: 'partnership', id: 'handel', roles: ['consultant'] }],
  },
  'els.stemgerechtigde': {
    sub: 'demo-els',
    name: 'Els Wouters',
    email: 'els@handel.werkplekduaal.test',
    description: 'Stemgerechtigde en beheerder bij het Sectoraal Partnerschap Handel',
    organisations: [{ type: 'partnership', id: 'handel', roles: ['votingMember', 'administrator'] }],
  },
  'lotte.vpdl': {
    sub: 'demo-lotte',
    name: 'Lotte Jacobs',
    email: 'lotte@vpdl.werkplekduaal.test',
    description: 'Sectorconsulent en stemgerechtigde bij het Vlaams Partnerschap Duaal Leren',
    organisations: [{ type: 'partnership', id: 'vpdl', roles: ['consultant', 'votingMember'] }],
  },
  'bart.horeca': {
    sub: 'demo-bart',
    name: 'Bart Peeters',
    email: 'bart@horeca.werkplekduaal.test',
    description: 'Beheerder, sectorconsulent en stemgerechtigde bij het Sectoraal Partnerschap Horeca (een ander partnerschap dan Handel)',
    organisations: [{ type: 'partnership', id: 'horeca', roles: ['consultant', 'votingMember', 'administrator'] }],
  },
  'dirk.departement': {
    sub: 'demo-dirk',
    name: 'Dirk Vermeulen',
    email: 'dirk.vermeulen@werk.werkplekduaal.test',
    description: 'Beheerder bij het Departement Werk en Sociale Economie',
    organisations: [{ type: 'department', id: 'dwse', roles: ['administrator'] }],
  },
};
