/**
 * The Prisma schema as Prisma itself reads it: the DMMF from the schema
 * parser that ships with the installed Prisma CLI
 * (node_modules/prisma/build/prisma_schema_build_bg.wasm, the engine behind
 * @prisma/prisma-schema-wasm's get_dmmf), called offline with the few lines of
 * wasm-bindgen glue it needs. No network, no schema engine binary.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export type DmmfField = {
  name: string;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  dbName: string | null;
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  isId: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
};
export type DmmfModel = {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
  uniqueFields: string[][];
  uniqueIndexes: { name: string | null; fields: string[] }[];
};
export type DmmfIndex = {
  model: string;
  type: "id" | "normal" | "unique" | "fulltext";
  isDefinedOnField: boolean;
  name?: string;
  dbName?: string;
  fields: { name: string; sortOrder?: "asc" | "desc" }[];
};
export type Datamodel = { models: DmmfModel[]; enums: unknown[]; types: unknown[]; indexes: DmmfIndex[] };

type Exports = {
  memory: WebAssembly.Memory;
  __wbindgen_externrefs: WebAssembly.Table;
  __wbindgen_malloc: (size: number, align: number) => number;
  __wbindgen_realloc: (ptr: number, oldSize: number, newSize: number, align: number) => number;
  __wbindgen_free: (ptr: number, size: number, align: number) => void;
  __externref_table_dealloc: (index: number) => void;
  __wbindgen_start: () => void;
  get_dmmf: (ptr: number, len: number) => [number, number, number, number];
};

function loadSchemaWasm(): Exports {
  const require = createRequire(import.meta.url);
  const file = path.join(path.dirname(require.resolve("prisma/package.json")), "build", "prisma_schema_build_bg.wasm");
  const module = new WebAssembly.Module(readFileSync(file));
  // Assigned once the module is instantiated below; the import glue needs it by then.
  // eslint-disable-next-line prefer-const
  let wasm: Exports;
  const text = (ptr: number, len: number) => new TextDecoder().decode(new Uint8Array(wasm.memory.buffer, ptr >>> 0, len));
  // wasm-bindgen names its imports with a hash that changes between builds: match them by what they are.
  const glue: [RegExp, (...args: number[]) => unknown][] = [
    [/^__wbg_Error_/, (ptr, len) => new Error(text(ptr, len))],
    [
      /^__wbg___wbindgen_throw_/,
      (ptr, len) => {
        throw new Error(text(ptr, len));
      },
    ],
    [
      /^__wbg_set_message_/,
      (ptr, len) => {
        throw new Error(`Prisma schema parser panicked: ${text(ptr, len)}`);
      },
    ],
    [
      /^__wbindgen_init_externref_table$/,
      () => {
        const table = wasm.__wbindgen_externrefs;
        const offset = table.grow(4);
        table.set(0, undefined);
        table.set(offset + 0, undefined);
        table.set(offset + 1, null);
        table.set(offset + 2, true);
        table.set(offset + 3, false);
      },
    ],
  ];
  const imports: Record<string, Record<string, (...args: number[]) => unknown>> = {};
  for (const { module: from, name } of WebAssembly.Module.imports(module)) {
    const fn = glue.find(([pattern]) => pattern.test(name))?.[1];
    if (!fn) throw new Error(`prisma_schema_build_bg.wasm wants an import this glue does not know: ${from}.${name}`);
    (imports[from] ??= {})[name] = fn;
  }
  wasm = new WebAssembly.Instance(module, imports).exports as unknown as Exports;
  wasm.__wbindgen_start();
  return wasm;
}

/** Prisma's DMMF datamodel of a schema file (models, fields, relations, primary keys, unique constraints and indexes). */
export function getDatamodel(schemaPath: string): Datamodel {
  const wasm = loadSchemaWasm();
  const params = new TextEncoder().encode(JSON.stringify({ prismaSchema: [[schemaPath, readFileSync(schemaPath, "utf8")]], noColor: true }));
  const ptr = wasm.__wbindgen_malloc(params.length, 1) >>> 0;
  new Uint8Array(wasm.memory.buffer, ptr, params.length).set(params);
  const [outPtr, outLen, errorIndex, failed] = wasm.get_dmmf(ptr, params.length);
  if (failed) {
    const error = wasm.__wbindgen_externrefs.get(errorIndex);
    wasm.__externref_table_dealloc(errorIndex);
    throw error instanceof Error ? error : new Error(String(error));
  }
  try {
    const json = new TextDecoder().decode(new Uint8Array(wasm.memory.buffer, outPtr >>> 0, outLen));
    return (JSON.parse(json) as { datamodel: Datamodel }).datamodel;
  } finally {
    wasm.__wbindgen_free(outPtr, outLen, 1);
  }
}
