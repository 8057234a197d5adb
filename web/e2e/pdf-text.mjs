// The text of a PDF the server printed, as a reader's copy-and-paste would give it (for e2e checks).
//
// Enough for what honglian writes (crates/app/src/platform/pdf.rs, pdf-writer): Flate-compressed
// content streams that show glyph ids with Tj/TJ, as literal or hex strings, in fonts whose ToUnicode
// CMap (bfchar/bfrange) maps them back to text (honglian embeds one CID font with two-byte codes;
// Chromium's printed pages, with many one-byte fonts, read as well). No object streams, no
// encryption: not a general PDF reader. Text moved with Td/Tm starts a new line.
import { inflateSync } from 'node:zlib'

/** The objects of a PDF: number → its dictionary text and its (inflated) stream, if any. */
function objects(buf) {
  const s = buf.toString('latin1')
  const out = new Map()
  const re = /(\d+)\s+0\s+obj\b/g
  let m
  while ((m = re.exec(s))) {
    const from = m.index + m[0].length
    const streamAt = s.indexOf('stream', from)
    const endobj = s.indexOf('endobj', from)
    if (endobj < 0) break
    if (streamAt < 0 || streamAt > endobj) {
      out.set(Number(m[1]), { dict: s.slice(from, endobj), data: null })
      continue
    }
    const dict = s.slice(from, streamAt)
    const nl = /^stream\r?\n/.exec(s.slice(streamAt, streamAt + 8))
    const start = streamAt + (nl ? nl[0].length : 7)
    const len = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict)
    const end = len ? start + Number(len[1]) : s.indexOf('endstream', start)
    let data = buf.subarray(start, end)
    if (/\/FlateDecode/.test(dict)) {
      try {
        data = inflateSync(data)
      } catch {
        data = Buffer.alloc(0)
      }
    }
    out.set(Number(m[1]), { dict, data })
    re.lastIndex = Math.max(end, from)
  }
  return out
}

const hexBytes = (h) => Buffer.from(h.replace(/\s+/g, '').padEnd(Math.ceil(h.replace(/\s+/g, '').length / 2) * 2, '0'), 'hex')
const utf16 = (h) => {
  const b = hexBytes(h)
  let t = ''
  for (let i = 0; i + 1 < b.length; i += 2) t += String.fromCharCode(b.readUInt16BE(i))
  return t
}

/** A ToUnicode CMap: code → text, and the width of a code in bytes (from its codespace range). */
function cmap(text) {
  const map = new Map()
  const space = /begincodespacerange\s*<([0-9A-Fa-f]+)>/.exec(text)
  const width = space ? space[1].length / 2 : 2
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, src, dst] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(src, 16), utf16(dst))
  }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, rest] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])/g)) {
      const a = parseInt(lo, 16)
      const z = parseInt(hi, 16)
      if (rest.startsWith('[')) {
        const items = [...rest.matchAll(/<([0-9A-Fa-f]+)>/g)].map((x) => utf16(x[1]))
        for (let c = a; c <= z; c++) if (items[c - a] != null) map.set(c, items[c - a])
      } else {
        const base = utf16(rest.slice(1, -1))
        const last = base.charCodeAt(base.length - 1)
        for (let c = a; c <= z; c++) map.set(c, base.slice(0, -1) + String.fromCharCode(last + (c - a)))
      }
    }
  }
  return { map, width }
}

/** Font resource name (F1) → its ToUnicode CMap, over every resource dictionary of the file. */
function fonts(objs) {
  const byObj = new Map()
  for (const [n, o] of objs) {
    const ref = /\/ToUnicode\s+(\d+)\s+0\s+R/.exec(o.dict)
    const cm = ref && objs.get(Number(ref[1]))
    if (cm?.data) byObj.set(n, cmap(cm.data.toString('latin1')))
  }
  const byName = new Map()
  const addPairs = (text) => {
    for (const [, name, ref] of text.matchAll(/\/([^\s/<>\[\]()]+)\s+(\d+)\s+0\s+R/g)) {
      const f = byObj.get(Number(ref))
      if (f) byName.set(name, f)
    }
  }
  for (const o of objs.values()) {
    const inline = /\/Font\s*<<([\s\S]*?)>>/.exec(o.dict)
    if (inline) addPairs(inline[1])
    const indirect = /\/Font\s+(\d+)\s+0\s+R/.exec(o.dict)
    if (indirect) addPairs(objs.get(Number(indirect[1]))?.dict ?? '')
  }
  return byName
}

/** The bytes of a literal string starting after its "(" at `i`; returns [bytes, index after ")"]. */
function literal(b, i) {
  const out = []
  let depth = 1
  while (i < b.length) {
    const c = b[i++]
    if (c === 0x5c) {
      const n = b[i++]
      const esc = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12 }[n]
      if (esc != null) out.push(esc)
      else if (n >= 0x30 && n <= 0x37) {
        let v = n - 0x30
        for (let k = 0; k < 2 && b[i] >= 0x30 && b[i] <= 0x37; k++) v = v * 8 + (b[i++] - 0x30)
        out.push(v & 0xff)
      } else if (n === 0x0d || n === 0x0a) {
        if (n === 0x0d && b[i] === 0x0a) i++
      } else out.push(n)
    } else if (c === 0x28) {
      depth++
      out.push(c)
    } else if (c === 0x29) {
      if (--depth === 0) break
      out.push(c)
    } else out.push(c)
  }
  return [Buffer.from(out), i]
}

/** Shown strings of a content stream, a line per text object (BT … ET) or line move. */
function shown(data, fontsByName) {
  let font = null
  const decode = (bytes) => {
    if (!font) return ''
    let t = ''
    for (let k = 0; k + font.width - 1 < bytes.length; k += font.width) {
      let code = 0
      for (let w = 0; w < font.width; w++) code = code * 256 + bytes[k + w]
      t += font.map.get(code) ?? ''
    }
    return t
  }
  const b = data
  let i = 0
  let line = ''
  const lines = []
  let operands = []
  const flush = () => {
    if (line) lines.push(line)
    line = ''
  }
  while (i < b.length) {
    const c = b[i]
    if (c === 0x28) {
      const [bytes, j] = literal(b, i + 1)
      operands.push(bytes)
      i = j
    } else if (c === 0x3c && b[i + 1] !== 0x3c) {
      const j = b.indexOf(0x3e, i)
      operands.push(hexBytes(b.subarray(i + 1, j).toString('latin1')))
      i = j + 1
    } else if (c === 0x2f) {
      let j = i + 1
      while (j < b.length && !/[\s/<>\[\]()]/.test(String.fromCharCode(b[j]))) j++
      operands.push({ name: b.subarray(i + 1, j).toString('latin1') })
      i = j
    } else if (c === 0x3c || c === 0x3e) {
      i += 2 // dictionary delimiters (inline images never occur here)
    } else if (/[A-Za-z'"*]/.test(String.fromCharCode(c))) {
      let j = i
      while (j < b.length && /[A-Za-z'"*0-9]/.test(String.fromCharCode(b[j]))) j++
      const op = b.subarray(i, j).toString('latin1')
      if (op === 'Tj' || op === 'TJ' || op === "'" || op === '"') {
        if (op === "'" || op === '"') flush()
        for (const s of operands) if (Buffer.isBuffer(s)) line += decode(s)
      } else if (op === 'Tf') {
        const name = operands.find((x) => !Buffer.isBuffer(x))?.name
        font = (name && fontsByName.get(name)) || null
      } else if (op === 'BT' || op === 'ET' || op === 'Td' || op === 'TD' || op === 'T*' || op === 'Tm') {
        flush()
      }
      operands = []
      i = j
    } else {
      i++
    }
  }
  flush()
  return lines
}

/** The text of every content stream, in the order written; lines joined with "\n". */
export function pdfText(buf) {
  if (buf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('not a PDF')
  const objs = objects(buf)
  const byName = fonts(objs)
  const lines = []
  for (const { data } of objs.values()) {
    if (!data) continue
    const text = data.toString('latin1')
    if (text.includes('begincmap') || !/\bBT\b/.test(text) || !/T[jJ]/.test(text)) continue
    lines.push(...shown(data, byName))
  }
  return lines.join('\n')
}
