// Who does a step of a file (an application, an agreement), as its history records it: the user's id and name
// and the organisation acted for, with its name and the roles held in it, at the time of the act. Pure.
export type Actor = { userId: string; name: string; organisationKey: string | null; organisationName: string | null; roles: string[] };

/** The counter itself (a workflow's reminder, the deadline passing): no user, no organisation. */
export const systemActor: Actor = { userId: 'system', name: 'Digitaal loket werkplekduaal', organisationKey: null, organisationName: null, roles: [] };
