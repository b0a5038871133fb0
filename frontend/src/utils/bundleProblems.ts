// A bundle upload's 422 (loc: body, bundle, file, line, key) as "file:line: key: message".
const LOCATED = /^bundle\.(.+?\.(?:ya?ml|json|sha256|csv|txt|md|html?|zip|tar))\.(\d+)\.(.*)$/

export function bundleProblems(fields: Record<string, string>): string[] {
  return Object.entries(fields).map(([field, msg]) => {
    const found = LOCATED.exec(field)
    if (!found) return `${field.replace(/^bundle\.?/, '') || 'bundle'}: ${msg}`
    const [, file, line, key] = found
    return `${file}:${line}: ${key}: ${msg}`
  })
}
