// The app calls relative URLs (/api/v1/...); Node's Request needs an origin.
const NativeRequest = globalThis.Request
class RelativeRequest extends NativeRequest {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === 'string' ? new URL(input, 'http://localhost') : input, init)
  }
}
globalThis.Request = RelativeRequest as typeof Request
