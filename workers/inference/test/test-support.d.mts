export function modelPackageBinding(request: Request): Promise<Response>;
export function inferenceWorkerOptions(outdir: string): Promise<Record<string, unknown>>;
