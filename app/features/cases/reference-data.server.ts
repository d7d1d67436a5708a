/** The reference lists the packet offers (bilingual ICD-10 and ICD-O-3, the active consulting centres), and a case's coded diagnosis in both languages. */
import icd10 from "~/features/cases/data/icd10-oncology.json";
import icdO3 from "~/features/cases/data/icdo3-morphology.json";
import type { DiagnosisFacts } from "~/features/cases/case-diagnosis";
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

/** A case's stored site and histology with the names of its codes in both languages, for showing in the reader's language. */
export function diagnosisFacts(row: {
  primarySite: string | null;
  histology: string | null;
  icd10Code: string | null;
  icdO3Code: string | null;
}): DiagnosisFacts {
  const term = (entry: { code: string; en: string; zh: string } | undefined) => (entry ? { code: entry.code, en: entry.en, zh: entry.zh } : null);
  return { primarySite: row.primarySite, histology: row.histology, siteTerm: term(icd10Title(row.icd10Code)), histologyTerm: term(icdO3Title(row.icdO3Code)) };
}
