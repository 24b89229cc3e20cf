// The editor's model without a browser: JDM ⇄ canvas conversion keeps every graph intact, undo/redo,
// auto-layout order, and matching validation issues to fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { History, autoLayout, flowToJdm, jdmToFlow, type FlowNode } from '../../web/src/editor/graph.js';
import { issuesAt, normPath } from '../../web/src/editor/context.js';

const GRAPHS = resolve(import.meta.dirname, '../../../shared/data/decisions/graphs');

test('every ZEN fixture graph survives the round trip through the canvas model', { skip: !existsSync(GRAPHS) && `no fixtures at ${GRAPHS}` }, () => {
  const files = readdirSync(GRAPHS).filter((f) => f.endsWith('.json'));
  assert.ok(files.length > 10);
  for (const f of files) {
    const g = JSON.parse(readFileSync(join(GRAPHS, f), 'utf8'));
    const { nodes, edges } = jdmToFlow(g);
    const back = flowToJdm(nodes, edges, g);
    assert.equal(back.nodes.length, g.nodes.length, f);
    assert.deepEqual(
      back.nodes.map((n) => [n.id, n.type, n.name, n.content]),
      g.nodes.map((n: any) => [n.id, n.type, n.name ?? n.id, n.content]),
      f,
    );
    assert.deepEqual(
      back.edges.map((e) => [e.id, e.sourceId, e.targetId, e.sourceHandle ?? null]),
      g.edges.map((e: any) => [e.id, e.sourceId, e.targetId, e.sourceHandle ?? null]),
      f,
    );
    assert.deepEqual(back.tests, g.tests, `${f}: stored tests are kept`);
  }
});

const node = (id: string, x = 0): FlowNode => ({ id, type: 'jdm', position: { x, y: 0 }, data: { type: 'expressionNode', name: id, content: {} } });

test('undo and redo walk the history; typing in one field is one step; a new change clears redo', () => {
  const h = new History();
  const s0 = { nodes: [], edges: [] };
  const s1 = { nodes: [node('a')], edges: [] };
  const s2 = { nodes: [node('a'), node('b')], edges: [] };
  h.record(s0);
  h.record(s1);
  assert.equal(h.undo(s2), s1);
  assert.equal(h.undo(s1), s0);
  assert.equal(h.undo(s0), undefined, 'nothing before the first change');
  assert.equal(h.redo(s0), s1);
  assert.equal(h.canRedo, true);
  h.record(s1, 'content:a');
  h.record(s2, 'content:a'); // coalesced with the previous keystroke
  assert.equal(h.canRedo, false);
  assert.equal(h.undo(s2), s1);
});

test('auto-layout places each node right of the nodes it depends on', () => {
  const nodes = [node('out', 0), node('mid', 0), node('in', 0)];
  const edges = [
    { id: 'e1', source: 'in', target: 'mid' },
    { id: 'e2', source: 'mid', target: 'out' },
  ];
  const laid = new Map(autoLayout(nodes, edges).map((n) => [n.id, n.position.x]));
  assert.ok(laid.get('in')! < laid.get('mid')! && laid.get('mid')! < laid.get('out')!, JSON.stringify([...laid]));
});

test('validation issues are matched to the field that shows them', () => {
  assert.equal(normPath('content.config.rules[0].condition'), 'rules.0.condition');
  assert.equal(normPath('content.rules[1]["i1-1"]'), 'rules.1.i1-1');
  const issues = [
    { nodeId: 'dt', field: 'content.rules[0].c1', message: 'bad cell' },
    { nodeId: 'dt', field: 'content.inputs[0].field', message: 'bad field' },
    { nodeId: 'dt', message: 'no field' },
  ];
  assert.deepEqual(issuesAt(issues, 'rules[0].c1').map((i) => i.message), ['bad cell']);
  assert.deepEqual(issuesAt(issues, 'inputs[0].field').map((i) => i.message), ['bad field']);
  assert.deepEqual(issuesAt(issues, 'rules[1].c1'), []);
});
