/** Reads and writes institution rows. */
import type { InstitutionInput } from "~/features/identity/account-schemas";
import type { Db } from "~/platform/db.server";

export function listInstitutions(db: Db) {
  return db.institution.findMany({ orderBy: [{ kind: "desc" }, { nameEn: "asc" }], include: { _count: { select: { users: true } } } });
}

export function getInstitution(db: Db, id: string) {
  return db.institution.findUnique({ where: { id } });
}

const columns = ({
  aeTitles,
  crossBorderBasis,
  crossBorderReference,
  crossBorderDate,
  pacsHost,
  pacsPort,
  pacsAeTitle,
  pacsCallingAeTitle,
  ...rest
}: InstitutionInput) => ({
  ...rest,
  pacsHost: pacsHost ?? null,
  pacsPort: pacsPort ?? null,
  pacsAeTitle: pacsAeTitle ?? null,
  pacsCallingAeTitle: pacsCallingAeTitle ?? null,
  aeTitles: JSON.stringify(aeTitles),
  crossBorderBasis: crossBorderBasis ?? null,
  crossBorderReference: crossBorderBasis ? (crossBorderReference ?? null) : null,
  crossBorderDate: crossBorderBasis ? (crossBorderDate ?? null) : null,
});

export function createInstitution(db: Db, input: InstitutionInput) {
  return db.institution.create({ data: columns(input) });
}

export function updateInstitution(db: Db, id: string, input: InstitutionInput) {
  return db.institution.update({ where: { id }, data: columns(input) });
}

export function institutionOptions(db: Db) {
  return db.institution.findMany({ orderBy: { nameEn: "asc" }, select: { id: true, nameEn: true, nameZh: true, kind: true, active: true } });
}
