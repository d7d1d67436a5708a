/** The reference lists the packet offers beside its code lists (clinical-codes.ts): bilingual ICD-10 and the active consulting centres. */
import icd10 from "~/features/cases/data/icd10-oncology.json";
import type { Db } from "~/platform/db.server";

/** The lists the packet form gets from the server: ICD-10 in both languages, and the overseas consulting centres. */
export async function packetReference(db: Db) {
  const consultingInstitutions = await db.institution.findMany({
    where: { kind: "CONSULTING", active: true },
    select: { id: true, nameEn: true, nameZh: true },
    orderBy: { nameEn: "asc" },
  });
  return { icd10, consultingInstitutions };
}

export function icd10Title(code: string | null | undefined) {
  return code ? icd10.find((entry) => entry.code === code) : undefined;
}
