import { Tree } from 'antd';
import type { DataNode, EventDataNode } from 'antd/es/tree';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { T, TIER, type Tier } from '../../lib/vi';
import { fetchChildren } from '../units/api';

interface Node extends DataNode {
  key: string;
  children?: Node[];
}

function node(u: { id: number; name: string; tier: Tier; childrenCount: number; progress?: { completed: number; total: number } }): Node {
  return {
    key: String(u.id),
    isLeaf: u.childrenCount === 0,
    title: (
      <Link to={`/units/${u.id}`} className="tree-link">
        {u.name}
        <span className="muted tree-meta">
          {' '}
          · {TIER[u.tier]}
          {u.progress ? ` · ${T.stepsShort(u.progress.completed, u.progress.total)}` : ''}
        </span>
      </Link>
    ),
  };
}

function attach(list: Node[], key: string, children: Node[]): Node[] {
  return list.map((n) => (n.key === key ? { ...n, children } : n.children ? { ...n, children: attach(n.children, key, children) } : n));
}

/** The caller's subtree, children loaded when a node opens (GET /api/units/:id/children). */
export function UnitTree({ root }: { root: { id: number; name: string; tier: Tier } }) {
  // The root is there from the first render, so that it opens (and loads its children) at once.
  const [nodes, setNodes] = useState<Node[]>(() => [node({ ...root, childrenCount: 1 })]);
  const [error, setError] = useState<unknown>(null);

  const loadData = async (n: EventDataNode<Node>) => {
    if (n.children) return;
    try {
      const page = await fetchChildren(Number(n.key), { pageSize: 500 });
      setNodes((list) => attach(list, String(n.key), page.items.map(node)));
    } catch (e) {
      setError(e);
    }
  };

  return (
    <nav aria-label={T.tree}>
      {error ? <ErrorAlert error={error} /> : null}
      <Tree<Node> treeData={nodes} loadData={loadData} defaultExpandedKeys={[String(root.id)]} selectable={false} blockNode />
    </nav>
  );
}
