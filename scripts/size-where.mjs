// Where the page's wasm bytes are: reads a wasm file that kept its function
// names (scripts/size-where.sh builds one the way the release build builds
// the page, names kept) and prints its bytes by crate, by module of this
// crate, and by function, raw and brotli-compressed. It reads the binary
// itself (sections, function bodies, data segments and the "name"
// section), so it needs no other tool.
//
// A function is counted under the crate its name opens with (the first
// `crate::` of `<alloc::sync::Arc<..> as leptos::..>::f` is `alloc`), as
// twiggy does: generic code of a library instantiated for this page's
// types counts under the library. The brotli column compresses each
// group's bytes on their own, so it is what the group would cost were it
// the only thing in the file; groups share context in the real file, so
// the column sums to more than the file's brotli size, and removing a
// group saves less than its figure (rebuild and run the size report to
// know). The name section is not shipped: the release build strips it.
//
// Usage: node scripts/size-where.mjs FILE.wasm [top-functions=25]
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

/**
 * Reads an LEB128 number at `at`, unsigned or (an `i32.const`) signed;
 * returns [value, next offset].
 */
function leb(bytes, at, signed = false) {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at >= bytes.length) throw new Error('the wasm file ends inside a number');
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [signed && byte & 0x40 ? value - 2 ** shift : value, at];
    if (shift > 35) throw new Error('a number in the wasm file is too long');
  }
}

/** Reads a length-prefixed UTF-8 name at `at`; returns [text, next offset]. */
function name(bytes, at) {
  const [len, start] = leb(bytes, at);
  return [new TextDecoder().decode(bytes.subarray(start, start + len)), start + len];
}

/** Skips a constant expression (a data segment's offset) up to its `end`. */
function skipConstExpr(bytes, at) {
  for (;;) {
    const op = bytes[at++];
    if (op === 0x0b) return at;
    if (op === 0x41 || op === 0x42 || op === 0x23) [, at] = leb(bytes, at); // i32/i64.const, global.get
    else throw new Error(`unexpected opcode 0x${op.toString(16)} in a data segment's offset`);
  }
}

/**
 * The parts of a wasm module that make up its size: every section's
 * bytes, each function body (with its index) and each data segment, and
 * the names of functions and data segments from the "name" section.
 */
export function readWasm(bytes) {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new Error('not a wasm file (no \\0asm at its start)');
  }
  const sections = [];
  const functions = [];
  const data = [];
  const functionNames = new Map();
  const dataNames = new Map();
  let importedFunctions = 0;
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    const end = start + size;
    if (end > bytes.length) throw new Error(`section ${id} runs past the end of the file`);
    let label = `section ${id}`;
    if (id === 0) {
      const [custom, body] = name(bytes, start);
      label = `custom "${custom}"`;
      if (custom === 'name') readNames(bytes, body, end, functionNames, dataNames);
    } else if (id === 2) {
      let [count, p] = leb(bytes, start);
      for (let i = 0; i < count; i += 1) {
        [, p] = name(bytes, p);
        [, p] = name(bytes, p);
        const kind = bytes[p++];
        if (kind === 0) {
          importedFunctions += 1;
          [, p] = leb(bytes, p);
        } else if (kind === 1) {
          p += 1; // reference type
          const flags = bytes[p++];
          [, p] = leb(bytes, p);
          if (flags & 1) [, p] = leb(bytes, p);
        } else if (kind === 2) {
          const flags = bytes[p++];
          [, p] = leb(bytes, p);
          if (flags & 1) [, p] = leb(bytes, p);
        } else if (kind === 3) {
          p += 2; // value type, mutability
        } else if (kind === 4) {
          p += 1;
          [, p] = leb(bytes, p);
        } else {
          throw new Error(`unknown import kind ${kind}`);
        }
      }
    } else if (id === 10) {
      let [count, p] = leb(bytes, start);
      for (let i = 0; i < count; i += 1) {
        const [len, body] = leb(bytes, p);
        // A body's length prefix counts towards it.
        functions.push({ index: importedFunctions + i, bytes: bytes.subarray(p, body + len) });
        p = body + len;
      }
    } else if (id === 11) {
      let [count, p] = leb(bytes, start);
      for (let i = 0; i < count; i += 1) {
        const from = p;
        let flags;
        [flags, p] = leb(bytes, p);
        if (flags === 2) [, p] = leb(bytes, p);
        // Where an active segment lands in memory, when its offset is a
        // constant (as the linker writes them).
        const address = flags !== 1 && bytes[p] === 0x41 ? leb(bytes, p + 1, true)[0] : null;
        if (flags !== 1) p = skipConstExpr(bytes, p);
        const [len, body] = leb(bytes, p);
        p = body + len;
        data.push({ index: i, address, bytes: bytes.subarray(from, p), content: bytes.subarray(body, p) });
      }
    }
    sections.push({ id, label, bytes: end - at });
    at = end;
  }
  for (const f of functions) f.name = functionNames.get(f.index) ?? `function ${f.index}`;
  for (const d of data) d.name = dataNames.get(d.index) ?? `data ${d.index}`;
  return { size: bytes.length, sections, functions, data };
}

/** Function names (subsection 1) and data segment names (subsection 9). */
function readNames(bytes, at, end, functionNames, dataNames) {
  while (at < end) {
    const kind = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    if (kind === 1 || kind === 9) {
      const into = kind === 1 ? functionNames : dataNames;
      let [count, p] = leb(bytes, start);
      for (let i = 0; i < count; i += 1) {
        let index;
        let text;
        [index, p] = leb(bytes, p);
        [text, p] = name(bytes, p);
        into.set(index, text);
      }
    }
    at = start + size;
  }
}

/**
 * The group a function is counted under: the crate its name opens with,
 * and for this crate its module (`stackwise::ui::share`), taken as the
 * first identifier followed by `::` (the standard library's crates, built
 * with the page, read `core[hash]::`). Three kinds of function are grouped
 * by what they hold rather than by the crate that defines them: drop glue
 * (`core::ptr::drop_in_place<T>`) under T's crate or module, and closures
 * called through core's `Fn` traits and iterator adapters, whose bodies
 * are mostly the closures inlined into them, under a group of their own.
 */
export function groupOf(functionName, crate = 'stackwise') {
  const plain = functionName.replace(/\[[0-9a-f]+\]/g, '');
  const drop = /^core::ptr::drop_in_place(?:::)?<(.*)>(?:::h[0-9a-f]{16})?$/.exec(plain);
  if (drop) return groupOf(drop[1], crate);
  if (/^<?core::ops::function::|\{?\{vtable\.shim\}\}?/.test(plain)) return "(closures, through core's Fn traits)";
  if (/^<?core::iter::adapters::/.test(plain)) return '(iterator adapters, with their closures)';
  // Methods of primitive types (`<str>::to_lowercase`) are core's.
  if (/^<(str|char|bool|[iuf](8|16|32|64|128|size)|\[T\])>::/.test(plain)) return 'core';
  const first = /([A-Za-z_][A-Za-z0-9_]*)::/.exec(plain);
  // Functions the linker or wasm-bindgen added (`main`, the `externref`
  // shims, wasm-bindgen's exports) or that wasm-opt left unnamed.
  if (!first) return '(glue and unnamed functions)';
  if (first[1] !== crate) return first[1];
  // Up to two module levels below the crate: lower-case identifiers that
  // are followed by `::` (not a component's function or a closure).
  const parts = plain.slice(first.index + first[0].length).split('::');
  const modules = [crate];
  for (const part of parts.slice(0, -1)) {
    if (modules.length === 3 || !/^[a-z][a-z0-9_]*$/.test(part) || part.startsWith('__')) break;
    modules.push(part);
  }
  // A function at the crate's root (`stackwise::main`) is a group of its own.
  if (modules.length === 1) modules.push(parts[0].replace(/[^A-Za-z0-9_].*$/, ''));
  return modules.join('::');
}

function brotli(bytes) {
  return brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }).length;
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const kb = (n) => (n / 1000).toFixed(1);

/** A function's name without its hashes, cut to `width` characters. */
function short(functionName, width) {
  const plain = functionName.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]{16}\]/g, '');
  return plain.length > width ? `${plain.slice(0, width - 3)}...` : plain;
}

/**
 * What a data segment holds, in short: the share of its bytes that are
 * text (runs of 8 or more printable ASCII or UTF-8 characters) and the
 * longest such run's start.
 */
function describe(content) {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(content);
  const runs = text.match(/[\x20-\x7e\u00a0-\uffef]{8,}/g) ?? [];
  const textBytes = runs.reduce((sum, r) => sum + new TextEncoder().encode(r).length, 0);
  const longest = runs.reduce((a, b) => (b.length > a.length ? b : a), '');
  const share = `${Math.round((100 * textBytes) / Math.max(1, content.length))}% text`.padStart(9);
  return longest ? `${share}, as "${longest.slice(0, 44)}..."` : share;
}

/**
 * The functions whose code names an address inside `segment`, most
 * mentions first, as `[name, mentions]`: what keeps the segment in the
 * file. Found by scanning each body for an `i32.const` opcode whose number
 * falls in the segment, not by decoding every instruction, so a byte that
 * only looks like one can add a name; the linker's addresses are large
 * enough that this is rare.
 */
export function readersOf(wasm, segment) {
  if (segment.address === null) return [];
  const [from, to] = [segment.address, segment.address + segment.content.length];
  const readers = [];
  for (const f of wasm.functions) {
    let mentions = 0;
    for (let at = f.bytes.indexOf(0x41); at >= 0; at = f.bytes.indexOf(0x41, at + 1)) {
      try {
        const [value] = leb(f.bytes, at + 1, true);
        if (value >= from && value < to) mentions += 1;
      } catch {
        break; // the body ends inside what looked like a number
      }
    }
    if (mentions > 0) readers.push([f.name, mentions]);
  }
  return readers.sort((a, b) => b[1] - a[1]);
}

/**
 * The module's functions grouped by `groupOf`, and its data segments as one
 * group, largest first: each group's key, its count, its raw bytes and
 * the bytes themselves.
 */
export function groupRows(wasm) {
  const groups = new Map();
  for (const f of wasm.functions) {
    const key = groupOf(f.name);
    const g = groups.get(key) ?? { count: 0, parts: [] };
    g.count += 1;
    g.parts.push(f.bytes);
    groups.set(key, g);
  }
  groups.set('(data segments)', { count: wasm.data.length, parts: wasm.data.map((d) => d.bytes) });
  return [...groups.entries()]
    .map(([key, g]) => ({ key, count: g.count, raw: g.parts.reduce((sum, p) => sum + p.length, 0), parts: g.parts }))
    .sort((a, b) => b.raw - a.raw);
}

/** The report for a wasm file's bytes, as lines. */
export function report(bytes, top = 25) {
  const wasm = readWasm(bytes);
  const named = wasm.functions.filter((f) => !/^function \d+$/.test(f.name)).length;
  if (named === 0) {
    throw new Error('the wasm file has no function names: build it with scripts/size-where.sh');
  }
  const shipped = wasm.sections.filter((s) => s.label !== 'custom "name"');
  const shippedSize = shipped.reduce((sum, s) => sum + s.bytes, 8);
  const lines = [];
  const code = wasm.functions.reduce((sum, f) => sum + f.bytes.length, 0);
  const data = wasm.data.reduce((sum, d) => sum + d.bytes.length, 0);
  lines.push(
    `${shippedSize} bytes without the name section: code ${kb(code)} KB in ${wasm.functions.length} functions, ` +
      `data ${kb(data)} KB in ${wasm.data.length} segments, the rest ${kb(shippedSize - code - data)} KB ` +
      `(types, imports, exports, tables)`,
  );

  const rows = groupRows(wasm);
  lines.push('', `${'By crate (and module of this crate)'.padEnd(42)}  count    raw KB   share   brotli alone KB`);
  for (const row of rows) {
    if (row.raw < 2000) continue;
    lines.push(
      `${row.key.padEnd(42)} ${String(row.count).padStart(6)} ${kb(row.raw).padStart(9)} ${((100 * row.raw) / shippedSize)
        .toFixed(1)
        .padStart(6)}% ${kb(brotli(concat(row.parts))).padStart(11)}`,
    );
  }
  const small = rows.filter((r) => r.raw < 2000);
  if (small.length > 0) {
    lines.push(`${`${small.length} groups under 2 KB each`.padEnd(42)} ${String(small.reduce((s, r) => s + r.count, 0)).padStart(6)} ${kb(small.reduce((s, r) => s + r.raw, 0)).padStart(9)}`);
  }

  lines.push('', `The ${top} largest functions                                          raw KB`);
  for (const f of [...wasm.functions].sort((a, b) => b.bytes.length - a.bytes.length).slice(0, top)) {
    lines.push(`  ${short(f.name, 66).padEnd(66)} ${kb(f.bytes.length).padStart(6)}`);
  }
  lines.push('', 'The 8 largest data segments              raw KB   holding, and the functions that read it');
  for (const d of [...wasm.data].sort((a, b) => b.bytes.length - a.bytes.length).slice(0, 8)) {
    lines.push(`  ${d.name.padEnd(36)} ${kb(d.bytes.length).padStart(7)}   ${describe(d.content)}`);
    const readers = readersOf(wasm, d);
    readers.slice(0, 3).forEach(([n], i) => lines.push(`      ${i === 0 ? 'read by' : '       '} ${short(n, 80)}`));
    if (readers.length > 3) lines.push(`              and ${readers.length - 3} more`);
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node scripts/size-where.mjs FILE.wasm [top-functions]');
    process.exit(2);
  }
  try {
    for (const line of report(readFileSync(file), Number(top ?? 25))) console.log(line);
  } catch (error) {
    console.error(`size-where: ${file}: ${error.message}`);
    process.exit(1);
  }
}
