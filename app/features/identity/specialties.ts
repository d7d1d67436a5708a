/** Oncology specialties of consultants and of what a case asks for, and their labels. */
export const SPECIALTIES = [
  "MEDICAL_ONCOLOGY",
  "HEMATOLOGIC_MALIGNANCIES",
  "THORACIC_ONCOLOGY",
  "GASTROINTESTINAL_ONCOLOGY",
  "BREAST_ONCOLOGY",
  "GYNECOLOGIC_ONCOLOGY",
  "GENITOURINARY_ONCOLOGY",
  "HEAD_AND_NECK_ONCOLOGY",
  "NEURO_ONCOLOGY",
  "PEDIATRIC_ONCOLOGY",
  "RADIATION_ONCOLOGY",
  "SURGICAL_ONCOLOGY",
  "PATHOLOGY",
  "RADIOLOGY",
  "NUCLEAR_MEDICINE",
] as const;
export type Specialty = (typeof SPECIALTIES)[number];

export function isSpecialty(value: unknown): value is Specialty {
  return typeof value === "string" && (SPECIALTIES as readonly string[]).includes(value);
}

export const SPECIALTY_LABEL_KEYS: Record<Specialty, string> = {
  MEDICAL_ONCOLOGY: "common:specialties.MEDICAL_ONCOLOGY",
  HEMATOLOGIC_MALIGNANCIES: "common:specialties.HEMATOLOGIC_MALIGNANCIES",
  THORACIC_ONCOLOGY: "common:specialties.THORACIC_ONCOLOGY",
  GASTROINTESTINAL_ONCOLOGY: "common:specialties.GASTROINTESTINAL_ONCOLOGY",
  BREAST_ONCOLOGY: "common:specialties.BREAST_ONCOLOGY",
  GYNECOLOGIC_ONCOLOGY: "common:specialties.GYNECOLOGIC_ONCOLOGY",
  GENITOURINARY_ONCOLOGY: "common:specialties.GENITOURINARY_ONCOLOGY",
  HEAD_AND_NECK_ONCOLOGY: "common:specialties.HEAD_AND_NECK_ONCOLOGY",
  NEURO_ONCOLOGY: "common:specialties.NEURO_ONCOLOGY",
  PEDIATRIC_ONCOLOGY: "common:specialties.PEDIATRIC_ONCOLOGY",
  RADIATION_ONCOLOGY: "common:specialties.RADIATION_ONCOLOGY",
  SURGICAL_ONCOLOGY: "common:specialties.SURGICAL_ONCOLOGY",
  PATHOLOGY: "common:specialties.PATHOLOGY",
  RADIOLOGY: "common:specialties.RADIOLOGY",
  NUCLEAR_MEDICINE: "common:specialties.NUCLEAR_MEDICINE",
};
