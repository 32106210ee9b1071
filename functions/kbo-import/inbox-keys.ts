// Where the Full import keeps a Full's parts in the KBO inbox bucket: full-parts.ts writes them, and the topology
// (infra/topology.ts) expires them and points the Distributed Map's reader there. A module without imports, so
// the topology can use it without pulling the split's code in.
export const fullPartsPrefix = 'full-parts/';
