/**
 * For end-to-end tests of the translation editor, on the database DATABASE_URL names (the e2e server's): two
 * submitted Wuhan cases whose only question, in English and untranslated, differs in one word. Prints both as JSON.
 */
import { disconnectDb, getDb } from "~/platform/db.server";
import { wuhanCaseInReview } from "./opinion-case";

const question = (site: string) => [
  { key: "question.01", originalLanguage: "en", originalText: `Should osimertinib be continued after oligoprogression in the ${site}?` },
];
const brain = await wuhanCaseInReview(getDb(), { consultantIds: [], status: "SUBMITTED", narratives: question("brain") });
const liver = await wuhanCaseInReview(getDb(), { consultantIds: [], status: "SUBMITTED", narratives: question("liver") });
console.log(JSON.stringify({ brain, liver }));
await disconnectDb();
