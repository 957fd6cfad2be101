// One end-to-end pass of the generated client against a running service: the admin key issues a tenant key, the
// tenant uploads a model and finds it in its list. Prints one JSON line with what it saw; exits 1 on any surprise.
//
//   QUANTSERVE_URL=http://localhost:8080 QUANTSERVE_ADMIN_KEY=... MODEL=../../../shared/models/mnist_cnn.onnx \
//     npm run smoke
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import createClient from "openapi-fetch";
import type { paths } from "./generated/schema.js";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}

const baseUrl = required("QUANTSERVE_URL");
const adminKey = required("QUANTSERVE_ADMIN_KEY");
const modelFile = required("MODEL");

const admin = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${adminKey}` } });
const tenant = `ts-client-${Date.now()}`;
const issued = await admin.POST("/v1/admin/api-keys", { body: { tenant } });
if (!issued.data?.key) throw new Error(`issuing a key failed: ${issued.response.status} ${JSON.stringify(issued.error)}`);

const user = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${issued.data.key}` } });
const bytes = await readFile(modelFile);
const uploaded = await user.POST("/v1/models", {
  params: { query: { name: basename(modelFile) } },
  // the raw body: openapi-typescript types binary as string, fetch sends the bytes as they are
  body: bytes as unknown as string,
  bodySerializer: (body) => body as unknown as BodyInit,
  headers: { "Content-Type": "application/octet-stream" },
});
if (uploaded.response.status !== 201 || !uploaded.data?.id) {
  throw new Error(`upload failed: ${uploaded.response.status} ${JSON.stringify(uploaded.error)}`);
}

const listed = await user.GET("/v1/models", { params: { query: { limit: 20 } } });
if (!listed.data) throw new Error(`listing failed: ${listed.response.status} ${JSON.stringify(listed.error)}`);
const ids = (listed.data.items ?? []).map((m) => m.id);

const unauthenticated = await createClient<paths>({ baseUrl }).GET("/v1/models");

console.log(
  JSON.stringify({
    tenant: issued.data.tenant,
    model_id: uploaded.data.id,
    name: uploaded.data.name,
    inputs: (uploaded.data.inputs ?? []).map((i) => i.name),
    listed: ids,
    without_key: { status: unauthenticated.response.status, type: unauthenticated.error?.type },
  }),
);
