import { describeColumnType, formatShape, type ModelSignature, type Schema } from "@edgeserve/mlflow/signature";

/** A model signature's inputs, outputs and params as tables, as the MLmodel file declares them. */
export function SignatureView({ signature }: { signature: ModelSignature | undefined }) {
  if (!signature) return <p>This version's MLmodel declares no signature.</p>;
  return (
    <div>
      <SchemaTable title="Inputs" schema={signature.inputs} />
      <SchemaTable title="Outputs" schema={signature.outputs} />
      <h3>Params</h3>
      {signature.params?.length ? (
        <table>
          <caption class="visually-hidden">Params</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Default</th>
              <th scope="col">Shape</th>
            </tr>
          </thead>
          <tbody>
            {signature.params.map((p) => (
              <tr key={p.name}>
                <td>{p.name}</td>
                <td>{p.type}</td>
                <td>
                  <code>{JSON.stringify(p.default)}</code>
                </td>
                <td>{p.shape ? formatShape(p.shape) : "scalar"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>None.</p>
      )}
    </div>
  );
}

function SchemaTable({ title, schema }: { title: string; schema: Schema | undefined }) {
  if (!schema)
    return (
      <>
        <h3>{title}</h3>
        <p>Not declared.</p>
      </>
    );
  return (
    <>
      <h3>{title}</h3>
      <table>
        <caption class="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">{schema.kind === "columns" ? "Required" : "Shape"}</th>
          </tr>
        </thead>
        <tbody>
          {schema.kind === "columns"
            ? schema.columns.map((c, i) => (
                <tr key={c.name ?? i}>
                  <td>{c.name ?? `(column ${i})`}</td>
                  <td>{describeColumnType(c.type)}</td>
                  <td>{c.required ? "yes" : "no"}</td>
                </tr>
              ))
            : schema.tensors.map((t, i) => (
                <tr key={t.name ?? i}>
                  <td>{t.name ?? `(tensor ${i})`}</td>
                  <td>tensor of {t.dtype}</td>
                  <td>{formatShape(t.shape)}</td>
                </tr>
              ))}
        </tbody>
      </table>
    </>
  );
}
