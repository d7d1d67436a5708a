/** A free text's language as far as the interface needs it: Chinese if it has any Han character, else English. */
const HAN = /\p{Script=Han}/u;

export type TextLanguage = "en" | "zh-CN";

export function textLanguage(text: string): TextLanguage {
  return HAN.test(text) ? "zh-CN" : "en";
}
