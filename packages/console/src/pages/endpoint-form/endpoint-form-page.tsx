import { useState } from "preact/hooks";
import { useLocation, useRoute } from "preact-iso";
import { createEndpoint, getEndpoint, putAiGateway, updateConfig } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { useApi } from "../../components/use-api";
import {
  type EndpointForm,
  type EntityForm,
  PROVIDER_FORMS,
  type Provider,
  TASKS,
  aiGatewayBody,
  configBody,
  createBody,
  emptyEntity,
  emptyForm,
  formFromEndpoint,
  formProblems,
  lineDiff,
} from "./endpoint-form-model";
import { GuardrailFields, RateLimitFields } from "./ai-gateway-fields";
import { aiGatewayProblem } from "./ai-gateway-problem";
import { RegistryPicker } from "./registry-picker";
import { SecretPicker } from "./secret-picker";

/** /endpoints/new and /endpoints/:name/edit. */
export function EndpointFormPage() {
  const { params } = useRoute();
  const editing = params.name;
  const existing = useApi((signal) => (editing ? getEndpoint(editing, signal) : Promise.resolve(undefined)), [editing]);
  if (editing && !existing.data) return <ErrorMessage error={existing.error} />;
  return <EndpointFormView key={editing ?? "new"} existing={existing.data} />;
}

function EndpointFormView({ existing }: { existing: Awaited<ReturnType<typeof getEndpoint>> | undefined }) {
  const { route } = useLocation();
  const [form, setForm] = useState<EndpointForm>(() => (existing ? formFromEndpoint(existing as never) : emptyForm()));
  const [mode, setMode] = useState<"form" | "json">("form");
  const [json, setJson] = useState("");
  const [error, setError] = useState<Error>();
  const [reviewing, setReviewing] = useState(false);
  const [busy, setBusy] = useState(false);
  const update = (patch: Partial<EndpointForm>) => setForm((f) => ({ ...f, ...patch }));
  const updateEntity = (index: number, patch: Partial<EntityForm>) =>
    setForm((f) => ({ ...f, entities: f.entities.map((e, i) => (i === index ? { ...e, ...patch } : e)) }));
  const body = () => (mode === "json" ? JSON.parse(json) : createBody(form));
  const before = existing
    ? JSON.stringify(
        { config: existing.config && stripOutput(existing.config), ai_gateway: existing.ai_gateway ?? {} },
        null,
        2,
      )
    : "";
  const problems = mode === "form" ? formProblems(form) : [];

  const save = async () => {
    setError(undefined);
    setBusy(true);
    try {
      const b = body();
      if (existing) {
        await updateConfig(existing.name, b.config);
        await putAiGateway(existing.name, b.ai_gateway ?? {});
        route(`/endpoints/${encodeURIComponent(existing.name)}/logs`);
      } else {
        const created = await createEndpoint(b);
        route(`/endpoints/${encodeURIComponent(created.name)}/logs`);
      }
    } catch (e) {
      setError(e as Error);
      setReviewing(false);
    } finally {
      setBusy(false);
    }
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (problems.length) return;
    let b: Record<string, unknown>;
    try {
      b = body();
    } catch (err) {
      setError(new Error(`The JSON is not valid: ${(err as Error).message}`));
      return;
    }
    const gatewayProblem = await aiGatewayProblem(b.ai_gateway ?? {});
    if (gatewayProblem) {
      setError(new Error(gatewayProblem));
      return;
    }
    setError(undefined);
    if (existing) setReviewing(true);
    else void save();
  };

  return (
    <section>
      <h1>{existing ? `Edit ${existing.name}` : "Create serving endpoint"}</h1>
      <div class="toolbar">
        <button
          type="button"
          class={mode === "form" ? "" : "secondary"}
          aria-pressed={mode === "form"}
          onClick={() => setMode("form")}
        >
          Form
        </button>
        <button
          type="button"
          class={mode === "json" ? "" : "secondary"}
          aria-pressed={mode === "json"}
          onClick={() => {
            setJson(JSON.stringify(createBody(form), null, 2));
            setMode("json");
          }}
        >
          JSON
        </button>
      </div>
      <form onSubmit={submit} aria-label="Endpoint configuration">
        {mode === "json" ? (
          <>
            <label for="config-json">Request body (JSON)</label>
            <textarea
              id="config-json"
              class="code"
              rows={24}
              cols={90}
              value={json}
              onInput={(e) => setJson(e.currentTarget.value)}
            />
            <p class="help">Sent as is{existing ? " (config to PUT …/config, ai_gateway to PUT …/ai-gateway)" : ""}.</p>
          </>
        ) : (
          <FormFields form={form} editing={!!existing} update={update} updateEntity={updateEntity} />
        )}
        {problems.length ? (
          <ul class="error" role="alert">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy || problems.length > 0}>
          {existing ? "Review changes" : busy ? "Creating…" : "Create endpoint"}
        </button>
      </form>
      {reviewing && existing ? (
        <section class="panel" aria-labelledby="diff-title">
          <h2 id="diff-title">Changes to save</h2>
          <pre class="diff">
            {lineDiff(before, JSON.stringify(pick(body()), null, 2)).map((d, i) => (
              <span key={i} class={d.kind === "+" ? "added" : d.kind === "-" ? "removed" : undefined}>
                {`${d.kind} ${d.line}\n`}
              </span>
            ))}
          </pre>
          <div class="toolbar">
            <button type="button" onClick={save} disabled={busy}>
              {busy ? "Saving…" : "Save and deploy"}
            </button>
            <button type="button" class="secondary" onClick={() => setReviewing(false)}>
              Back to editing
            </button>
          </div>
        </section>
      ) : null}
    </section>
  );
}

/** What an edit compares: the config the API would store and the gateway settings. */
function pick(b: Record<string, unknown>) {
  return { config: b.config, ai_gateway: b.ai_gateway ?? {} };
}

/** The output config without what only the API sets (config_version, auto_capture output). */
function stripOutput(config: { config_version?: number; auto_capture_config?: unknown }) {
  const { config_version: _v, auto_capture_config: _a, ...rest } = config;
  return rest;
}

function FormFields(props: {
  form: EndpointForm;
  editing: boolean;
  update: (patch: Partial<EndpointForm>) => void;
  updateEntity: (index: number, patch: Partial<EntityForm>) => void;
}) {
  const { form, update, updateEntity } = props;
  return (
    <>
      <label for="endpoint-name">Name</label>
      <input
        id="endpoint-name"
        required
        disabled={props.editing}
        value={form.name}
        onInput={(e) => update({ name: e.currentTarget.value })}
      />
      <h2>Served entities</h2>
      {form.entities.map((e, i) => (
        <fieldset key={i} class="panel">
          <legend>Served entity {i + 1}</legend>
          <label for={`entity-${i}-name`}>Entity name</label>
          <input
            id={`entity-${i}-name`}
            required
            value={e.name}
            onInput={(ev) => updateEntity(i, { name: ev.currentTarget.value })}
          />
          <label for={`entity-${i}-kind`}>Model source</label>
          <select
            id={`entity-${i}-kind`}
            value={e.kind}
            onChange={(ev) => updateEntity(i, { kind: ev.currentTarget.value as EntityForm["kind"] })}
          >
            <option value="external">External model (a provider's API)</option>
            <option value="registry">Custom model (from the registry)</option>
          </select>
          {e.kind === "external" ? (
            <>
              <label for={`entity-${i}-provider`}>Provider</label>
              <select
                id={`entity-${i}-provider`}
                value={e.provider}
                onChange={(ev) => updateEntity(i, { provider: ev.currentTarget.value as Provider })}
              >
                {Object.keys(PROVIDER_FORMS).map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
              <label for={`entity-${i}-model`}>Provider's model name</label>
              <input
                id={`entity-${i}-model`}
                required
                value={e.model}
                onInput={(ev) => updateEntity(i, { model: ev.currentTarget.value })}
              />
              <label for={`entity-${i}-task`}>Task</label>
              <select
                id={`entity-${i}-task`}
                value={e.task}
                onChange={(ev) => updateEntity(i, { task: ev.currentTarget.value as EntityForm["task"] })}
              >
                {TASKS.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
              <fieldset>
                <legend>Credential ({PROVIDER_FORMS[e.provider].secretField})</legend>
                <label class="inline">
                  <input
                    type="radio"
                    name={`entity-${i}-credential`}
                    checked={e.credential.mode === "secret"}
                    onChange={() => updateEntity(i, { credential: { mode: "secret", reference: "" } })}
                  />{" "}
                  From a secret scope
                </label>
                <label class="inline">
                  <input
                    type="radio"
                    name={`entity-${i}-credential`}
                    checked={e.credential.mode === "plaintext"}
                    onChange={() => updateEntity(i, { credential: { mode: "plaintext", value: "" } })}
                  />{" "}
                  Paste a key (stored encrypted)
                </label>
                {e.credential.mode === "secret" ? (
                  <SecretPicker
                    id={`entity-${i}-secret`}
                    value={e.credential.reference}
                    onChange={(reference) => updateEntity(i, { credential: { mode: "secret", reference } })}
                  />
                ) : (
                  <>
                    <label for={`entity-${i}-plaintext`}>Key</label>
                    <input
                      id={`entity-${i}-plaintext`}
                      type="password"
                      autocomplete="off"
                      value={e.credential.value}
                      onInput={(ev) =>
                        updateEntity(i, { credential: { mode: "plaintext", value: ev.currentTarget.value } })
                      }
                    />
                  </>
                )}
              </fieldset>
              <label for={`entity-${i}-extra`}>Other provider settings (JSON object)</label>
              <textarea
                id={`entity-${i}-extra`}
                class="code"
                rows={3}
                cols={70}
                placeholder='{"custom_provider_url": "https://…/v1"}'
                value={e.providerExtra}
                onInput={(ev) => updateEntity(i, { providerExtra: ev.currentTarget.value })}
              />
            </>
          ) : (
            <>
              <RegistryPicker
                id={`entity-${i}`}
                model={e.entityName}
                version={e.entityVersion}
                onChange={(entityName, entityVersion) => updateEntity(i, { entityName, entityVersion })}
              />
              <p class="help">
                See <a href="/registry">the registry</a> for models and versions.
              </p>
            </>
          )}
          <label for={`entity-${i}-traffic`}>Traffic (%)</label>
          <input
            id={`entity-${i}-traffic`}
            type="number"
            min={0}
            max={100}
            value={e.trafficPercentage}
            onInput={(ev) => updateEntity(i, { trafficPercentage: Number(ev.currentTarget.value) })}
          />
          {form.entities.length > 1 ? (
            <p>
              <button
                type="button"
                class="secondary"
                onClick={() => update({ entities: form.entities.filter((_, j) => j !== i) })}
              >
                Remove served entity {i + 1}
              </button>
            </p>
          ) : null}
        </fieldset>
      ))}
      <p>
        <button
          type="button"
          class="secondary"
          onClick={() => update({ entities: [...form.entities, emptyEntity(form.entities.length)] })}
        >
          Add served entity
        </button>
      </p>
      <h2>AI Gateway</h2>
      <label class="inline">
        <input
          type="checkbox"
          checked={form.usageTracking}
          onChange={(e) => update({ usageTracking: e.currentTarget.checked })}
        />{" "}
        Usage tracking
      </label>
      <label class="inline">
        <input
          type="checkbox"
          checked={form.payloadLogging}
          onChange={(e) => update({ payloadLogging: e.currentTarget.checked })}
        />{" "}
        Payload logging (inference table)
      </label>
      <RateLimitFields limits={form.rateLimits} onChange={(rateLimits) => update({ rateLimits })} />
      {(["input", "output"] as const).map((direction) => (
        <GuardrailFields
          key={direction}
          direction={direction}
          guardrail={form.guardrails[direction]}
          onChange={(g) => update({ guardrails: { ...form.guardrails, [direction]: g } })}
        />
      ))}
      <label class="inline">
        <input
          type="checkbox"
          checked={form.fallbacks}
          onChange={(e) => update({ fallbacks: e.currentTarget.checked })}
        />{" "}
        Fallbacks: when an entity answers 429 or 5xx, or cannot be reached, try the others in order
      </label>
      <details>
        <summary>Config that will be sent</summary>
        <pre>{JSON.stringify({ config: configBody(form), ai_gateway: aiGatewayBody(form) }, null, 2)}</pre>
      </details>
    </>
  );
}
