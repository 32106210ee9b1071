// Where an e-mail links to: the portal page of the resource it is about. The portal's paths mirror the API's
// resource paths in Dutch; this table is the one place that maps them (README, E-mail):
//
//   resource                  API path                                         portal path
//   application file          /v1/applications/{id}                            /aanvragen/{id}
//   recognition               /v1/recognitions?establishment=... (E/.. as E-..) /erkenningen/{E-yyyymmdd-nnnnnn}
//   recognitions (overview)   /v1/recognitions                                 /erkenningen
//   agreement                 /v1/agreements/{id}                              /overeenkomsten/{id}
//   agreements (overview)     /v1/agreements                                   /overeenkomsten
//   appeal                    /v1/appeals/{id}                                 /beroepen/{id}
//   mandate                   /v1/mandates/{enterpriseNumber}/{providerId}     /machtigingen/{enterpriseNumber}/{providerId}
//   KBO change                /v1/kbo-changes/{id}                             /kbo-wijzigingen/{id}
//   dashboard (tasks)         /v1/tasks                                        /taken
//   preferences               /v1/me/preferences                               /voorkeuren
import { kboDigits } from '../../shared/domain/identifiers.ts';
import { recognitionPathId } from '../../shared/domain/recognitions.ts';

const segment = (value: string) => encodeURIComponent(value);

export const portalPaths = {
  application: (id: string) => `/aanvragen/${segment(id)}`,
  recognition: (id: string) => `/erkenningen/${segment(recognitionPathId(id))}`,
  recognitions: () => '/erkenningen',
  agreement: (id: string) => `/overeenkomsten/${segment(id)}`,
  agreements: () => '/overeenkomsten',
  appeal: (id: string) => `/beroepen/${segment(id)}`,
  mandate: (enterpriseNumber: string, providerId: string) => `/machtigingen/${kboDigits(enterpriseNumber)}/${segment(providerId)}`,
  kboChange: (id: string) => `/kbo-wijzigingen/${segment(id)}`,
  tasks: () => '/taken',
  preferences: () => '/voorkeuren',
};

/** The absolute link: the configured portal URL (validated at synth and cold start, no trailing slash) and a path. */
export const portalLink = (portalUrl: string, path: string): string => `${portalUrl}${path}`;
