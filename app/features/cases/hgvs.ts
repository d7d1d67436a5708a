/**
 * The syntax of the HGVS expressions a biomarker's sequence variant is written in (HGVS Nomenclature 21.0, varnomen.hgvs.org):
 * protein (p.Leu858Arg, p.L858R, p.(Glu746_Ala750del), p.Arg213*, p.Lys103fs), coding DNA (c.2573T>G, c.2235_2249del,
 * c.3028+1G>T) and genomic (g.55191822T>G) changes. Only the syntax is checked, not the reference sequence.
 */
const AMINO_ACID = "(?:Ala|Arg|Asn|Asp|Cys|Gln|Glu|Gly|His|Ile|Leu|Lys|Met|Phe|Pro|Ser|Thr|Trp|Tyr|Val|Sec|Pyl|Ter|[ACDEFGHIKLMNPQRSTVWY*])";
const PROTEIN_POSITION = `${AMINO_ACID}\\d+`;
const PROTEIN_CHANGE = `(?:${AMINO_ACID}|=|\\?|del|dup|(?:del)?ins${AMINO_ACID}+|${AMINO_ACID}?fs(?:(?:\\*|Ter)\\d*)?)`;
const PROTEIN = new RegExp(
  `^p\\.(?:\\(${PROTEIN_POSITION}(?:_${PROTEIN_POSITION})?${PROTEIN_CHANGE}\\)|${PROTEIN_POSITION}(?:_${PROTEIN_POSITION})?${PROTEIN_CHANGE}|=|\\?|0)$`,
);

const BASE = "[ACGT]";
const CODING_POSITION = "[-*]?\\d+(?:[+-]\\d+)?";
const NUCLEOTIDE_EDIT = `(?:del${BASE}*|dup${BASE}*|ins${BASE}+|delins${BASE}+)`;
const CODING = new RegExp(`^c\\.(?:${CODING_POSITION}${BASE}>${BASE}|${CODING_POSITION}(?:_${CODING_POSITION})?${NUCLEOTIDE_EDIT})$`);
const GENOMIC = new RegExp(`^g\\.(?:\\d+${BASE}>${BASE}|\\d+(?:_\\d+)?${NUCLEOTIDE_EDIT})$`);

export const HGVS_MAX_LENGTH = 100;

export function isHgvs(expression: string): boolean {
  return expression.length <= HGVS_MAX_LENGTH && (PROTEIN.test(expression) || CODING.test(expression) || GENOMIC.test(expression));
}
