// The size report's reader (scripts/size-where.mjs) on a wasm module built
// here byte by byte, whose every size is known, and its grouping on names
// as rustc writes them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupOf, groupRows, readWasm, readersOf, report } from './size-where.mjs';

const utf8 = (text) => [...new TextEncoder().encode(text)];
/** `n` as unsigned LEB128. */
function leb(n) {
  const out = [];
  do {
    out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return out;
}
/** A length-prefixed vector of bytes. */
const vec = (bytes) => [...leb(bytes.length), ...bytes];
const section = (id, bytes) => [id, ...vec(bytes)];

/**
 * A module importing one function (index 0) and defining two: `small`
 * (index 1, body 4 bytes with its length) and `big` (index 2, 9 bytes,
 * whose code names address 10), with one 11-byte active data segment
 * named ".rodata" at address 8 (16 bytes with its header) and a name
 * section naming all of them.
 */
function module() {
  const type = section(1, [1, 0x60, 0, 0]); // one type: [] -> []
  const imports = section(2, [1, ...vec(utf8('env')), ...vec(utf8('f')), 0, 0]);
  const functions = section(3, [2, 0, 0]);
  const memory = section(5, [1, 0, 1]);
  const small = vec([0, 0x01, 0x0b]); // no locals, nop, end
  const big = vec([0, 0x01, 0x01, 0x01, 0x41, 10, 0x1a, 0x0b]); // ...i32.const 10, drop
  const code = section(10, [2, ...small, ...big]);
  const text = utf8('hello world');
  const data = section(11, [1, 0, 0x41, 8, 0x0b, ...vec(text)]);
  const functionNames = [
    3,
    ...[0, ...vec(utf8('env::f'))],
    ...[1, ...vec(utf8('stackwise::model::format::small::h0123456789abcdef'))],
    ...[2, ...vec(utf8('core::ptr::drop_in_place<stackwise::ui::share::Store>::h0123456789abcdef'))],
  ];
  const dataNames = [1, 0, ...vec(utf8('.rodata'))];
  const names = section(0, [...vec(utf8('name')), 1, ...vec(functionNames), 9, ...vec(dataNames)]);
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...type, ...imports, ...functions, ...memory, ...code, ...data, ...names]);
}

test('reads every function body, data segment and name with its size', () => {
  const wasm = readWasm(module());
  assert.deepEqual(
    wasm.functions.map((f) => [f.index, f.name, f.bytes.length]),
    [
      [1, 'stackwise::model::format::small::h0123456789abcdef', 4],
      [2, 'core::ptr::drop_in_place<stackwise::ui::share::Store>::h0123456789abcdef', 9],
    ],
  );
  assert.deepEqual(
    wasm.data.map((d) => [d.name, d.bytes.length, new TextDecoder().decode(d.content)]),
    [['.rodata', 16, 'hello world']],
  );
  assert.equal(wasm.sections.reduce((sum, s) => sum + s.bytes, 8), wasm.size, 'the sections cover the file');
});

test('the report accounts for every byte but the name section', () => {
  const bytes = module();
  const wasm = readWasm(bytes);
  const names = wasm.sections.find((s) => s.label === 'custom "name"').bytes;
  const [summary] = report(bytes);
  assert.match(summary, new RegExp(`^${bytes.length - names} bytes without the name section: code 0.0 KB in 2 functions, data 0.0 KB in 1 segments`));
  // Each function under its group (the drop glue under the type it drops),
  // the data segments as one: 4 + 9 + 16 bytes, every body and segment.
  assert.deepEqual(
    groupRows(wasm).map((r) => [r.key, r.count, r.raw]),
    [
      ['(data segments)', 1, 16],
      ['stackwise::ui::share', 1, 9],
      ['stackwise::model::format', 1, 4],
    ],
  );
});

test('refuses a file that is not wasm, or one without names', () => {
  assert.throws(() => readWasm(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), /not a wasm file/);
  const stripped = module();
  const at = stripped.length - readWasm(stripped).sections.at(-1).bytes;
  assert.throws(() => report(stripped.subarray(0, at)), /no function names/);
  assert.throws(() => readWasm(stripped.subarray(0, at - 3)), /past the end|ends inside/);
});

test('groups a function under its crate, this crate by module', () => {
  const cases = [
    ['stackwise::ui::share::transfer::__component_download_buttons::{{closure}}::h47d1a4efce6ef4f8', 'stackwise::ui::share'],
    ['stackwise::main::h51719482ffc48f4e', 'stackwise::main'],
    ['<stackwise::ui::worker::Client>::start_workers::{closure#0}', 'stackwise::ui::worker'],
    ['<&stackwise::ui::charts_panel::ChartCard as core::ops::function::Fn<()>>::call', 'stackwise::ui::charts_panel'],
    ['<stackwise::charts::AnyChart as stackwise::charts::chart::Chart>::scene::h825eb7523d63c5e6', 'stackwise::charts'],
    ['tachys::reactive_graph::<impl tachys::view::Render for F>::build::{{closure}}::h2f116ceda059300d', 'tachys'],
    ['<alloc::sync::Arc<dyn core::ops::function::Fn<()>> as leptos::children::ToChildren<F>>::to_children', 'alloc'],
    ['<f64 as core[c5930c85a12de822]::str::traits::FromStr>::from_str', 'core'],
    ['<str>::to_lowercase', 'core'],
    ['core::ptr::drop_in_place<reactive_graph::effect::RenderEffect<()>>::h086c135441fdbaf8', 'reactive_graph'],
    ['core::ptr::drop_in_place::<stackwise::model::assumptions::AssumptionSet>', 'stackwise::model::assumptions'],
    ['core::ops::function::impls::<impl core::ops::function::FnOnce<A> for &F>::call_once::h586d554f6b8dcad0', "(closures, through core's Fn traits)"],
    ['core::ops::function::FnOnce::call_once{{vtable.shim}}::h7139eee843be4c8a', "(closures, through core's Fn traits)"],
    ['<core::iter::adapters::GenericShunt<I,R> as core::iter::traits::iterator::Iterator>::next::hb7b2e405d6cca5d4', '(iterator adapters, with their closures)'],
    ['__externref_table_alloc', '(glue and unnamed functions)'],
    ['function 4931', '(glue and unnamed functions)'],
  ];
  for (const [name, group] of cases) assert.equal(groupOf(name), group, name);
});

test('names the functions that read a data segment', () => {
  const bytes = module();
  const wasm = readWasm(bytes);
  // `big` loads address 10, inside ".rodata" (8 to 19); `small` names none.
  assert.equal(wasm.data[0].address, 8);
  assert.deepEqual(readersOf(wasm, wasm.data[0]), [
    ['core::ptr::drop_in_place<stackwise::ui::share::Store>::h0123456789abcdef', 1],
  ]);
  const lines = report(bytes);
  const at = lines.findIndex((line) => line.startsWith('  .rodata'));
  assert.equal(lines[at + 1], '      read by core::ptr::drop_in_place<stackwise::ui::share::Store>');
});
