/** The categories of glossary terms. */
export const GLOSSARY_CATEGORIES = ["diagnosis", "histology", "staging", "regimen", "drug", "biomarker", "response", "clinical"] as const;
