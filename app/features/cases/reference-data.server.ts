/** The reference lists the packet offers: bilingual ICD-10 and ICD-O-3, and the active consulting centres. */
import icd10 from "~/features/cases/data/icd10-oncology.json";
import icdO3 from "~/features/cases/data/icdo3-morphology.json";
import type { Db } from "~/platform/db.server";

/** The lists the packet form offers: ICD-10 and ICD-O-3 in both languages, and the overseas consulting centres. */
export async function packetReference(db: Db) {
  const consultingInstitutions = await db.institution.findMany({
    where: { kind: "CONSULTING", active: true },
    select: { id: true, nameEn: true, nameZh: true },
    orderBy: { nameEn: "asc" },
  });
  return { icd10, icdO3, consultingInstitutions };
}

export function icd10Title(code: string | null | undefined) {
  return code ? icd10.find((entry) => entry.code === code) : undefined;
}

export function icdO3Title(code: string | null | undefined) {
  return code ? icdO3.find((entry) => entry.code === code) : undefined;
}
