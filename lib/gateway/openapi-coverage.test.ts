import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";
import { GATEWAY_PREFIX, GATEWAY_PREFIX_ROUTES, GATEWAY_ROUTES, NEXT_ROUTES, findRoute, type Method } from "./routes";

/**
 * The OpenAPI document (what /docs renders and clients generate from) against the route table:
 * every route the gateway serves has its path and each of its methods in the document, nothing
 * under /api/llm is documented that is not served, and the document is structurally valid
 * OpenAPI 3.1 (a JSON Schema of the document's fixed fields, checked with ajv, plus the rules a
 * schema cannot express: $refs resolve, security schemes exist, path templates match parameters).
 * A route added to routes.ts without its entry in openapi.ts fails here.
 */

type Operation = { parameters?: { name: string; in: string }[]; responses?: Record<string, unknown>; security?: Record<string, unknown>[] };
type PathItem = Partial<Record<Lowercase<Method>, Operation>> & { parameters?: { name: string; in: string }[] };

const doc = openApiDocument() as unknown as {
  openapi: string;
  paths: Record<string, PathItem>;
  security?: Record<string, unknown>[];
  components?: { securitySchemes?: Record<string, unknown>; schemas?: Record<string, unknown> };
};
const OPERATIONS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/**
 * HEAD is GET without a body (RFC 9110 §9.3.2): a route serving GET and HEAD is documented by its
 * GET operation, as OpenAPI tools expect; a HEAD-only route would need its own `head` entry.
 */
function documents(item: PathItem | undefined, method: Method): boolean {
  if (!item) return false;
  if (method === "HEAD") return Boolean(item.head ?? item.get);
  return Boolean(item[method.toLowerCase() as Lowercase<Method>]);
}

/** The documented path of a prefix route: the prefix followed by one `{param}` template. */
function templatedPathOf(prefix: string): string | undefined {
  return Object.keys(doc.paths).find((p) => p.startsWith(prefix) && /^\{[^/{}]+\}$/.test(p.slice(prefix.length)));
}

const x = { patternProperties: { "^x-": {} } };
const ref = { type: "object", required: ["$ref"], properties: { $ref: { type: "string" }, summary: { type: "string" }, description: { type: "string" } }, additionalProperties: false };
const map = (value: object) => ({ type: "object", additionalProperties: value });

/** OpenAPI 3.1's fixed fields (spec.openapis.org/oas/v3.1.0), as a draft-07 schema for ajv. */
const openApi31 = {
  $schema: "http://json-schema.org/draft-07/schema#",
  definitions: {
    schema: { type: ["object", "boolean"] },
    mediaType: { type: "object", properties: { schema: { $ref: "#/definitions/schema" }, example: {}, examples: { type: "object" }, encoding: { type: "object" } }, additionalProperties: false, ...x },
    content: map({ $ref: "#/definitions/mediaType" }),
    parameter: {
      type: "object",
      required: ["name", "in"],
      properties: {
        name: { type: "string", minLength: 1 }, in: { enum: ["query", "header", "path", "cookie"] }, description: { type: "string" }, required: { type: "boolean" },
        deprecated: { type: "boolean" }, allowEmptyValue: { type: "boolean" }, style: { type: "string" }, explode: { type: "boolean" }, allowReserved: { type: "boolean" },
        schema: { $ref: "#/definitions/schema" }, content: { $ref: "#/definitions/content" }, example: {}, examples: { type: "object" },
      },
      oneOf: [{ required: ["schema"] }, { required: ["content"] }],
      if: { properties: { in: { const: "path" } } },
      then: { required: ["required"], properties: { required: { const: true } } },
      additionalProperties: false,
      ...x,
    },
    header: {
      type: "object",
      properties: { description: { type: "string" }, required: { type: "boolean" }, deprecated: { type: "boolean" }, schema: { $ref: "#/definitions/schema" }, content: { $ref: "#/definitions/content" }, example: {} },
      additionalProperties: false,
      ...x,
    },
    response: {
      type: "object",
      required: ["description"],
      properties: { description: { type: "string" }, headers: map({ oneOf: [{ $ref: "#/definitions/header" }, ref] }), content: { $ref: "#/definitions/content" }, links: { type: "object" } },
      additionalProperties: false,
      ...x,
    },
    security: { type: "array", items: map({ type: "array", items: { type: "string" } }) },
    operation: {
      type: "object",
      required: ["responses"],
      properties: {
        tags: { type: "array", items: { type: "string" } }, summary: { type: "string" }, description: { type: "string" }, externalDocs: { type: "object" },
        operationId: { type: "string" }, parameters: { type: "array", items: { oneOf: [{ $ref: "#/definitions/parameter" }, ref] } },
        requestBody: { oneOf: [{ type: "object", required: ["content"], properties: { description: { type: "string" }, content: { $ref: "#/definitions/content" }, required: { type: "boolean" } }, additionalProperties: false, ...x }, ref] },
        responses: {
          type: "object",
          minProperties: 1,
          propertyNames: { pattern: "^([1-5](\\d\\d|XX)|default|x-.*)$" },
          additionalProperties: { oneOf: [{ $ref: "#/definitions/response" }, ref] },
        },
        callbacks: { type: "object" }, deprecated: { type: "boolean" }, security: { $ref: "#/definitions/security" }, servers: { type: "array" },
      },
      additionalProperties: false,
      ...x,
    },
    pathItem: {
      type: "object",
      properties: {
        $ref: { type: "string" }, summary: { type: "string" }, description: { type: "string" }, servers: { type: "array" },
        parameters: { type: "array", items: { oneOf: [{ $ref: "#/definitions/parameter" }, ref] } },
        ...Object.fromEntries(OPERATIONS.map((o) => [o, { $ref: "#/definitions/operation" }])),
      },
      additionalProperties: false,
      ...x,
    },
    securityScheme: {
      type: "object",
      required: ["type"],
      properties: { type: { enum: ["apiKey", "http", "mutualTLS", "oauth2", "openIdConnect"] }, description: { type: "string" }, name: { type: "string" }, in: { enum: ["query", "header", "cookie"] }, scheme: { type: "string" }, bearerFormat: { type: "string" }, flows: { type: "object" }, openIdConnectUrl: { type: "string" } },
      allOf: [
        { if: { properties: { type: { const: "http" } } }, then: { required: ["scheme"] } },
        { if: { properties: { type: { const: "apiKey" } } }, then: { required: ["name", "in"] } },
      ],
      additionalProperties: false,
      ...x,
    },
  },
  type: "object",
  required: ["openapi", "info"],
  anyOf: [{ required: ["paths"] }, { required: ["components"] }, { required: ["webhooks"] }],
  properties: {
    openapi: { type: "string", pattern: "^3\\.1\\.\\d+(-.+)?$" },
    info: {
      type: "object",
      required: ["title", "version"],
      properties: { title: { type: "string" }, summary: { type: "string" }, description: { type: "string" }, termsOfService: { type: "string" }, contact: { type: "object" }, license: { type: "object" }, version: { type: "string" } },
      additionalProperties: false,
      ...x,
    },
    jsonSchemaDialect: { type: "string" },
    servers: { type: "array", items: { type: "object", required: ["url"], properties: { url: { type: "string" }, description: { type: "string" }, variables: { type: "object" } }, additionalProperties: false } },
    paths: { type: "object", propertyNames: { pattern: "^(/|x-)" }, additionalProperties: { $ref: "#/definitions/pathItem" } },
    webhooks: map({ $ref: "#/definitions/pathItem" }),
    components: {
      type: "object",
      properties: {
        schemas: map({ $ref: "#/definitions/schema" }), responses: map({ oneOf: [{ $ref: "#/definitions/response" }, ref] }),
        parameters: map({ oneOf: [{ $ref: "#/definitions/parameter" }, ref] }), headers: map({ oneOf: [{ $ref: "#/definitions/header" }, ref] }),
        securitySchemes: map({ oneOf: [{ $ref: "#/definitions/securityScheme" }, ref] }),
        examples: { type: "object" }, requestBodies: { type: "object" }, links: { type: "object" }, callbacks: { type: "object" }, pathItems: { type: "object" },
      },
      additionalProperties: false,
      ...x,
    },
    security: { $ref: "#/definitions/security" },
    tags: { type: "array", items: { type: "object", required: ["name"] } },
    externalDocs: { type: "object", required: ["url"] },
  },
  additionalProperties: false,
  ...x,
};

/** Every value of `key` anywhere in the document, with where it was found. */
function collect(node: unknown, key: string, at = "#", found: [string, unknown][] = []): [string, unknown][] {
  if (Array.isArray(node)) node.forEach((v, i) => collect(v, key, `${at}/${i}`, found));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === key) found.push([at, v]);
      collect(v, key, `${at}/${k.replaceAll("~", "~0").replaceAll("/", "~1")}`, found);
    }
  }
  return found;
}

function resolvePointer(pointer: string): unknown {
  let node: unknown = doc;
  for (const raw of pointer.slice(2).split("/")) {
    const part = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (!node || typeof node !== "object" || !(part in node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

describe("the OpenAPI document covers the route table", () => {
  it.each(Object.entries(GATEWAY_ROUTES).flatMap(([path, methods]) => Object.keys(methods).map((m): [string, Method] => [path, m as Method])))(
    "documents %s %s (GATEWAY_ROUTES)",
    (path, method) => {
      expect(documents(doc.paths[path], method), `${method} ${path} is served but not in lib/gateway/openapi.ts`).toBe(true);
    },
  );

  it.each(Object.entries(GATEWAY_PREFIX_ROUTES).flatMap(([prefix, methods]) => Object.keys(methods).map((m): [string, Method] => [prefix, m as Method])))(
    "documents %s{param} %s (GATEWAY_PREFIX_ROUTES)",
    (prefix, method) => {
      const path = templatedPathOf(prefix);
      expect(path, `no templated path ${prefix}{…} in the document`).toBeDefined();
      expect(documents(doc.paths[path ?? ""], method), `${method} ${prefix}{…} is served but not documented`).toBe(true);
    },
  );

  it.each(Object.entries(NEXT_ROUTES).flatMap(([path, methods]) => methods.map((m): [string, Method] => [path, m])))("documents %s %s (NEXT_ROUTES)", (path, method) => {
    expect(documents(doc.paths[path], method), `${method} ${path} is served but not in lib/gateway/openapi.ts`).toBe(true);
  });

  it("documents nothing under /api/llm that is not served, with the methods served", () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!path.startsWith(`${GATEWAY_PREFIX}/`)) continue;
      // A templated path is served by its prefix route: try it with a sample id containing "/".
      const concrete = path.replace(/\{[^/{}]+\}/g, "sample/id");
      const served = findRoute(concrete);
      const allowed = new Set<string>([...Object.keys(served ?? {}), ...(NEXT_ROUTES[path] ?? [])]);
      expect(allowed.size, `${path} is documented but not served`).toBeGreaterThan(0);
      for (const op of OPERATIONS) if (item[op as Lowercase<Method>]) expect(allowed, `${op.toUpperCase()} ${path}`).toContain(op.toUpperCase());
    }
  });
});

describe("the OpenAPI document is valid OpenAPI 3.1", () => {
  it("matches the fixed fields of the specification", () => {
    const ajv = new Ajv({ allErrors: true });
    const valid = ajv.validate(openApi31, doc);
    expect(ajv.errors ?? [], ajv.errorsText(ajv.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it("refuses what OpenAPI 3.1 does not allow (the check is not vacuous)", () => {
    const ajv = new Ajv({ allErrors: true });
    type Get = { get: { responses: Record<string, object>; parameters?: object[] } };
    const broken = structuredClone(doc) as unknown as { openapi: string; paths: Record<string, Get | undefined> };
    const list = broken.paths["/api/llm/v1/models"];
    const one = broken.paths["/api/llm/v1/models/{id}"];
    if (!list || !one) throw new Error("the models paths are gone");
    broken.openapi = "3.0.3";
    one.get.parameters = [{ name: "id", in: "path", required: false, schema: { type: "string" } }];
    list.get.responses["200"] = { content: {} };
    list.get.responses["2000"] = { description: "no such status" };
    expect(ajv.validate(openApi31, broken)).toBe(false);
    const where = (ajv.errors ?? []).map((e) => e.dataPath);
    expect(where).toEqual(
      expect.arrayContaining([
        ".openapi",
        ".paths['/api/llm/v1/models/{id}'].get.parameters[0].required",
        ".paths['/api/llm/v1/models'].get.responses['200']",
        ".paths['/api/llm/v1/models'].get.responses",
      ]),
    );
  });

  it("every $ref resolves inside the document", () => {
    const refs = collect(doc, "$ref");
    expect(refs.length).toBeGreaterThan(0);
    for (const [at, target] of refs) {
      expect(typeof target === "string" && target.startsWith("#/"), `${at}: ${String(target)} is not a local reference`).toBe(true);
      expect(resolvePointer(String(target)), `${at}: ${String(target)} does not resolve`).toBeDefined();
    }
  });

  it("security requirements name declared schemes", () => {
    const schemes = Object.keys(doc.components?.securitySchemes ?? {});
    const requirements = [...(doc.security ?? []), ...Object.values(doc.paths).flatMap((item) => OPERATIONS.flatMap((o) => item[o as Lowercase<Method>]?.security ?? []))];
    for (const requirement of requirements) for (const name of Object.keys(requirement)) expect(schemes).toContain(name);
  });

  it("path templates and path parameters match one to one; every operation documents a success", () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      const templated = [...path.matchAll(/\{([^/{}]+)\}/g)].map((m) => m[1]).sort();
      for (const op of OPERATIONS) {
        const operation = item[op as Lowercase<Method>];
        if (!operation) continue;
        const params = [...(item.parameters ?? []), ...(operation.parameters ?? [])].filter((p) => p.in === "path").map((p) => p.name).sort();
        expect(params, `${op.toUpperCase()} ${path}`).toEqual(templated);
        expect(Object.keys(operation.responses ?? {}).some((code) => /^2/.test(code)), `${op.toUpperCase()} ${path} has no 2xx response`).toBe(true);
      }
    }
  });

  it("every embedded schema is a well-formed JSON Schema", () => {
    const ajv = new Ajv({ validateSchema: false });
    const schemas = [...collect(doc, "schema"), ...Object.entries(doc.components?.schemas ?? {}).map(([name, s]) => [`#/components/schemas/${name}`, s] as [string, unknown])];
    expect(schemas.length).toBeGreaterThan(10);
    for (const [at, schema] of schemas) {
      // The bodies are JSON Schema 2020-12 (zod); ajv 6 checks them against draft-07's meta-schema,
      // which covers the keywords both share (types, bounds, enums, required, nesting).
      const { $schema: _dialect, ...body } = schema as Record<string, unknown>;
      expect(ajv.validateSchema(body), `${at}: ${ajv.errorsText(ajv.errors)}`).toBe(true);
    }
  });
});
