import type { ServedEntitySummary } from "../../api";

/** "openai gpt-4o-mini", "registry-model v3": what each served entity runs, for the list's Served column. */
export function describeEntity(entity: ServedEntitySummary): string {
  if (entity.external_model) return `${entity.external_model.provider} ${entity.external_model.name}`;
  if (entity.entity_name) return `${entity.entity_name}${entity.entity_version ? ` v${entity.entity_version}` : ""}`;
  return entity.name;
}

/** The endpoint's kind in words: external model, custom model (registry) or foundation model. */
export function describeKind(endpointType: string | undefined): string {
  switch (endpointType) {
    case "EXTERNAL_MODEL":
      return "External model";
    case "CUSTOM_MODEL":
      return "Custom model";
    case "FOUNDATION_MODEL_API":
      return "Foundation model";
    default:
      return endpointType ?? "—";
  }
}
