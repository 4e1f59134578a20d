import {
  type EndpointForm,
  type GuardrailForm,
  RATE_LIMIT_KEYS,
  type RateLimitForm,
  emptyRateLimit,
} from "./endpoint-form-model";

const KEY_LABELS: Record<RateLimitForm["key"], string> = {
  endpoint: "The whole endpoint",
  user: "Each user",
  user_group: "A group",
  service_principal: "Each service principal",
};

/** AI Gateway rate limits: calls and/or tokens per minute, for the endpoint, each user or one principal. */
export function RateLimitFields(props: { limits: RateLimitForm[]; onChange: (limits: RateLimitForm[]) => void }) {
  const { limits, onChange } = props;
  const set = (index: number, patch: Partial<RateLimitForm>) =>
    onChange(limits.map((l, i) => (i === index ? { ...l, ...patch } : l)));
  return (
    <>
      <h3>Rate limits (per minute)</h3>
      {limits.map((limit, i) => (
        <fieldset key={i} class="panel">
          <legend>Rate limit {i + 1}</legend>
          <label for={`rate-limit-${i}-key`}>Applies to</label>
          <select
            id={`rate-limit-${i}-key`}
            value={limit.key}
            onChange={(e) => set(i, { key: e.currentTarget.value as RateLimitForm["key"] })}
          >
            {RATE_LIMIT_KEYS.map((key) => (
              <option key={key} value={key}>
                {KEY_LABELS[key]}
              </option>
            ))}
          </select>
          <label for={`rate-limit-${i}-principal`}>Principal (user name, group, or service principal id)</label>
          <input
            id={`rate-limit-${i}-principal`}
            value={limit.principal}
            onInput={(e) => set(i, { principal: e.currentTarget.value })}
          />
          <p class="help">Empty: every user or service principal has this limit. A group needs its name.</p>
          <label for={`rate-limit-${i}-calls`}>Calls per minute</label>
          <input
            id={`rate-limit-${i}-calls`}
            type="number"
            min={0}
            value={limit.calls}
            onInput={(e) => set(i, { calls: e.currentTarget.value })}
          />
          <label for={`rate-limit-${i}-tokens`}>Tokens per minute</label>
          <input
            id={`rate-limit-${i}-tokens`}
            type="number"
            min={0}
            value={limit.tokens}
            onInput={(e) => set(i, { tokens: e.currentTarget.value })}
          />
          <p>
            <button type="button" class="secondary" onClick={() => onChange(limits.filter((_, j) => j !== i))}>
              Remove rate limit {i + 1}
            </button>
          </p>
        </fieldset>
      ))}
      <p>
        <button type="button" class="secondary" onClick={() => onChange([...limits, emptyRateLimit()])}>
          Add rate limit
        </button>
      </p>
    </>
  );
}

const DIRECTIONS = { input: "requests", output: "responses" } as const;

/** Guardrails on requests or responses: safety, personal data, keywords, topics. */
export function GuardrailFields(props: {
  direction: keyof EndpointForm["guardrails"];
  guardrail: GuardrailForm;
  onChange: (guardrail: GuardrailForm) => void;
}) {
  const { direction, guardrail, onChange } = props;
  const id = (field: string) => `guardrail-${direction}-${field}`;
  const set = (patch: Partial<GuardrailForm>) => onChange({ ...guardrail, ...patch });
  const setSafety = (e: { currentTarget: HTMLInputElement }) => set({ safety: e.currentTarget.checked });
  const what = DIRECTIONS[direction];
  return (
    <fieldset class="panel">
      <legend>Guardrails on {what}</legend>
      <label class="inline">
        <input type="checkbox" checked={guardrail.safety} onChange={setSafety} /> Safety: refuse unsafe {what}
      </label>
      {guardrail.safety ? (
        <>
          <label for={id("safety-endpoint")}>Safety classifier endpoint (empty: the gateway's default)</label>
          <input
            id={id("safety-endpoint")}
            value={guardrail.safetyEndpoint}
            onInput={(e) => set({ safetyEndpoint: e.currentTarget.value })}
          />
        </>
      ) : null}
      <label for={id("pii")}>Personal data in {what}</label>
      <select
        id={id("pii")}
        value={guardrail.pii}
        onChange={(e) => set({ pii: e.currentTarget.value as GuardrailForm["pii"] })}
      >
        <option value="NONE">Allow</option>
        <option value="BLOCK">Block</option>
        <option value="MASK">Mask</option>
      </select>
      <label for={id("invalid-keywords")}>Refused keywords in {what} (one per line)</label>
      <textarea
        id={id("invalid-keywords")}
        rows={3}
        value={guardrail.invalidKeywords}
        onInput={(e) => set({ invalidKeywords: e.currentTarget.value })}
      />
      <label for={id("valid-topics")}>Allowed topics of {what} (one per line; empty: any)</label>
      <textarea
        id={id("valid-topics")}
        rows={3}
        value={guardrail.validTopics}
        onInput={(e) => set({ validTopics: e.currentTarget.value })}
      />
    </fieldset>
  );
}
