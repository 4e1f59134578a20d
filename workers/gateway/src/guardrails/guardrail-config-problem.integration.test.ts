import { describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { deployCustomModels, serveCustomModels, storeTestModel } from "../../test/custom-models";
import { createReadyEndpoint, customChatEndpoint, waitUntilSettled } from "../../test/endpoints";
import { createUserWithToken } from "../../test/principals";

// Its own file: D1 is per test file, so no endpoint named `embeddings` exists here until a test makes one.
const putGuardrails = (endpoint: string, guardrails: unknown, token?: string) =>
  call("PUT", `/api/2.0/serving-endpoints/${endpoint}/ai-gateway`, {
    body: { guardrails },
    ...(token ? { token } : {}),
  });

function expectRefused(res: { status: number; json: any; text: string }, message: string) {
  expect(res.status, res.text).toBe(400);
  expect(res.json).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE", message });
}

describe("guardrails that cannot work are refused when they are set", () => {
  it(
    "safety with no classifier, or naming an endpoint that does not " +
      "exist: 400 at PUT …/ai-gateway and at create, nothing changed",
    async () => {
      await createReadyEndpoint(customChatEndpoint("c-chat"));
      expectRefused(
        await putGuardrails("c-chat", { input: { safety: true } }),
        "ai_gateway.guardrails.input.safety is on but names no classifier: set " +
          "'safety_endpoint_name' (or the gateway's EDGESERVE_GUARDRAILS_SAFETY_ENDPOINT).",
      );
      expectRefused(
        await putGuardrails("c-chat", { output: { safety: true, safety_endpoint_name: "no-such-guard" } }),
        "ai_gateway.guardrails.output.safety_endpoint_name names the serving " +
          "endpoint 'no-such-guard', which does not exist or which you cannot query.",
      );
      expect((await call("GET", "/api/2.0/serving-endpoints/c-chat")).json.ai_gateway).toBeUndefined();

      const create = await call("POST", "/api/2.0/serving-endpoints", {
        body: { ...customChatEndpoint("c-new"), ai_gateway: { guardrails: { input: { safety: true } } } },
      });
      expectRefused(
        create,
        "ai_gateway.guardrails.input.safety is on but names no classifier: set " +
          "'safety_endpoint_name' (or the gateway's EDGESERVE_GUARDRAILS_SAFETY_ENDPOINT).",
      );
      expect((await call("GET", "/api/2.0/serving-endpoints/c-new")).status).toBe(404);

      await createReadyEndpoint(customChatEndpoint("c-guard"));
      const ok = await putGuardrails("c-chat", { input: { safety: true, safety_endpoint_name: "c-guard" } });
      expect(ok.status, ok.text).toBe(200);
    },
  );

  it(
    "a classifier the caller cannot query is refused like " + "a missing one (its owner would pay for the traffic)",
    async () => {
      const user = await createUserWithToken("guard-user@example.com");
      await createReadyEndpoint(customChatEndpoint("admins-guard"));
      await createReadyEndpoint(customChatEndpoint("users-chat"), user.token);
      const guardrails = { input: { safety: true, safety_endpoint_name: "admins-guard" } };
      expectRefused(
        await putGuardrails("users-chat", guardrails, user.token),
        "ai_gateway.guardrails.input.safety_endpoint_name names the serving " +
          "endpoint 'admins-guard', which does not exist or which you cannot query.",
      );

      const { id } = (await call("GET", "/api/2.0/serving-endpoints/admins-guard")).json;
      const grant = await call("PATCH", `/api/2.0/permissions/serving-endpoints/${id}`, {
        body: { access_control_list: [{ user_name: "guard-user@example.com", permission_level: "CAN_QUERY" }] },
      });
      expect(grant.status, grant.text).toBe(200);
      expect((await putGuardrails("users-chat", guardrails, user.token)).status).toBe(200);
    },
  );

  it("valid_topics without the embeddings endpoint: 400", async () => {
    await createReadyEndpoint(customChatEndpoint("t-chat"));
    expectRefused(
      await putGuardrails("t-chat", { input: { valid_topics: ["cooking"] } }),
      "ai_gateway.guardrails.input.valid_topics compares texts with the embeddings endpoint " +
        "'embeddings' (EDGESERVE_GUARDRAILS_EMBEDDINGS_ENDPOINT), which does not exist.",
    );
  });
});

describe("guardrails on a custom (MLflow) model endpoint", () => {
  const REFUSED =
    "cannot screen a custom (MLflow) model: guardrails read chat, completions " +
    "and embeddings text, and this endpoint's scoring requests and " +
    "predictions are dataframes, tensors or CSV, so they would check " +
    "nothing. Remove them, or serve the model behind an endpoint with a task.";

  it("are refused at PUT …/ai-gateway and at create; settings that do nothing are accepted", async () => {
    await storeTestModel("main.ml.guarded", "1", "flavors:\n  onnx:\n    data: model.onnx\n");
    await serveCustomModels("cm-guarded", [{ name: "m", entity_name: "main.ml.guarded", entity_version: "1" }]);
    expectRefused(
      await putGuardrails("cm-guarded", { input: { pii: { behavior: "MASK" } } }),
      `ai_gateway.guardrails.input ${REFUSED}`,
    );
    expectRefused(
      await putGuardrails("cm-guarded", { output: { invalid_keywords: ["secret"] } }),
      `ai_gateway.guardrails.output ${REFUSED}`,
    );
    // What Databricks' clients may send by default checks nothing, so it is accepted.
    expect((await putGuardrails("cm-guarded", { input: { pii: { behavior: "NONE" }, safety: false } })).status).toBe(
      200,
    );

    const create = await call("POST", "/api/2.0/serving-endpoints", {
      body: {
        name: "cm-new",
        config: { served_entities: [{ entity_name: "main.ml.guarded", entity_version: "1" }] },
        ai_gateway: { guardrails: { input: { pii: { behavior: "BLOCK" } } } },
      },
    });
    expectRefused(create, `ai_gateway.guardrails.input ${REFUSED}`);
    expect((await call("GET", "/api/2.0/serving-endpoints/cm-new")).status).toBe(404);
  });

  it(
    "fail the deployment of a config that turns a guarded " +
      "endpoint into a custom model; the old config keeps serving",
    async () => {
      await storeTestModel("main.ml.switch", "1", "flavors:\n  onnx:\n    data: model.onnx\n");
      await createReadyEndpoint(customChatEndpoint("to-custom"));
      expect((await putGuardrails("to-custom", { input: { pii: { behavior: "BLOCK" } } })).status).toBe(200);
      const { state, endpoint, buildLog } = await deployCustomModels(
        "to-custom",
        [{ name: "m", entity_name: "main.ml.switch", entity_version: "1" }],
        true,
      );
      expect(state).toEqual({ ready: "READY", config_update: "UPDATE_FAILED" });
      expect(endpoint.pending_config.served_entities[0].state).toEqual({
        deployment: "DEPLOYMENT_FAILED",
        deployment_state_message: `ai_gateway.guardrails.input ${REFUSED}`,
      });
      expect(await buildLog("m")).toContain(`ERROR ai_gateway.guardrails.input ${REFUSED}`);
      expect(endpoint.config.served_entities[0].name).toBe("primary");
    },
  );
});

describe("a classifier deleted after the guardrail was set", () => {
  it("fails the next deployment of the guarded endpoint, saying so", async () => {
    await createReadyEndpoint(customChatEndpoint("d-chat"));
    await createReadyEndpoint(customChatEndpoint("d-guard"));
    expect((await putGuardrails("d-chat", { input: { safety: true, safety_endpoint_name: "d-guard" } })).status).toBe(
      200,
    );
    expect((await call("DELETE", "/api/2.0/serving-endpoints/d-guard")).status).toBe(200);
    const update = await call("PUT", "/api/2.0/serving-endpoints/d-chat/config", {
      body: customChatEndpoint("d-chat").config,
    });
    expect(update.status, update.text).toBe(200);
    const settled = await waitUntilSettled("d-chat");
    expect(settled.state.config_update).toBe("UPDATE_FAILED");
    expect(settled.pending_config.served_entities[0].state.deployment_state_message).toBe(
      "ai_gateway.guardrails.input.safety_endpoint_name names the serving endpoint 'd-guard', which does not exist.",
    );
  });
});
