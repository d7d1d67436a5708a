import { dropTestSchemas } from "./test-database";

export async function setup() {
  await dropTestSchemas();
}

export async function teardown() {
  await dropTestSchemas();
}
