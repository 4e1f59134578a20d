import { searchModelVersions, searchRegisteredModels } from "../../api";
import { useApi } from "../../components/use-api";

/** Picks a registered model and one of its versions (custom models served by the inference worker). */
export function RegistryPicker(props: {
  id: string;
  model: string;
  version: string;
  onChange: (model: string, version: string) => void;
}) {
  const models = useApi((signal) => searchRegisteredModels(signal), []);
  const versions = useApi(
    (signal) => (props.model ? searchModelVersions(props.model, signal) : Promise.resolve([])),
    [props.model],
  );
  return (
    <div class="toolbar">
      <div>
        <label for={`${props.id}-registered`}>Registered model</label>
        <select
          id={`${props.id}-registered`}
          value={props.model}
          onChange={(e) => props.onChange(e.currentTarget.value, "")}
        >
          <option value="">Choose a model</option>
          {(models.data ?? []).map((m) => (
            <option key={m.name} value={m.name}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for={`${props.id}-version`}>Version</label>
        <select
          id={`${props.id}-version`}
          value={props.version}
          disabled={!props.model}
          onChange={(e) => props.onChange(props.model, e.currentTarget.value)}
        >
          <option value="">Choose a version</option>
          {(versions.data ?? []).map((v) => (
            <option key={v.version} value={v.version}>
              {v.version}
              {v.aliases?.length ? ` (${v.aliases.join(", ")})` : ""}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
