export function modelPackageBinding(request: Request): Promise<Response>;
