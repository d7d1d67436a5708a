/** The reference lists the packet offers beside its code lists (clinical-codes.ts): bilingual ICD-10 and the active consulting centres; and a case's coded diagnosis in both languages. */
import icd10 from "~/features/cases/data/icd10-oncology.json";
import { morphologyTerm, topographyTerm } from "~/features/cases/clinical-codes";
import type { DiagnosisFacts } from "~/features/cases/case-diagnosis";
import { packetTranslation } from "~/features/cases/packet-texts";
import type { Translation } from "~/features/translation/translated-text";
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

/**
 * A case's stored site and histology with the names of its codes in both languages and the current translations of
 * what was written (from `translations`, keyed by `subjectKey`), for showing in the reader's language.
 */
export function diagnosisFacts(
  row: { id: string; primarySite: string | null; primarySiteCode: string | null; histology: string | null; icd10Code: string | null; icdO3Code: string | null },
  translations: Readonly<Record<string, Translation>>,
): DiagnosisFacts {
  const term = (entry: { code: string; en: string; zh: string } | undefined) => (entry ? { code: entry.code, en: entry.en, zh: entry.zh } : null);
  return {
    primarySite: row.primarySite,
    histology: row.histology,
    siteTerm: term(topographyTerm(row.primarySiteCode) ?? icd10Title(row.icd10Code)),
    histologyTerm: term(morphologyTerm(row.icdO3Code)),
    siteTranslation: packetTranslation(translations, row.id, "primarySite")?.text ?? null,
    histologyTranslation: packetTranslation(translations, row.id, "histology")?.text ?? null,
  };
}
