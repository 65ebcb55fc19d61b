// The React Flow side of the canvas benchmark: the same generated workflow as KubeOrch-rs, drawn
// with @xyflow/react's defaults (controlled nodes, custom node cards like ours, minimap, pan/zoom).
// `?n=500` picks the size; `&visibleOnly=1` turns on React Flow's onlyRenderVisibleElements.
import { useCallback, useState, memo } from 'react';
import { createRoot } from 'react-dom/client';
import { ReactFlow, MiniMap, Handle, Position, applyNodeChanges, applyEdgeChanges } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { generate } from './graph.mjs';

const BADGES = { ingress: 'In', service: 'Sv', deployment: 'De', configmap: 'Cm', persistentvolumeclaim: 'Pv' };

const Card = memo(function Card({ data }) {
  const facts = [data.image, data.replicas && `×${data.replicas}`, data.host, data.size]
    .filter(Boolean)
    .join(' · ');
  return (
    <div className="card">
      <Handle type="target" position={Position.Left} />
      <span className="badge">{BADGES[data.kind]}</span>
      <div className="body">
        <div className="name">{data.name}</div>
        <div className="kind">{data.kind}</div>
        <div className="facts">{facts}</div>
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
});
const nodeTypes = { card: Card };

const params = new URLSearchParams(location.search);
const count = Number(params.get('n') ?? 200);
const visibleOnly = params.get('visibleOnly') === '1';
const graph = generate(count);
const initialNodes = graph.nodes.map((n) => ({
  id: n.id,
  type: 'card',
  position: n.position,
  data: { ...n.data, kind: n.kind },
}));
const initialEdges = graph.edges.map((e) => ({ ...e, label: 'link' }));

function App() {
  const [nodes, setNodes] = useState(initialNodes);
  const [edges, setEdges] = useState(initialEdges);
  const onNodesChange = useCallback((changes) => setNodes((ns) => applyNodeChanges(changes, ns)), []);
  const onEdgesChange = useCallback((changes) => setEdges((es) => applyEdgeChanges(changes, es)), []);
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      defaultViewport={{ x: 0, y: 0, zoom: 1 }}
      onlyRenderVisibleElements={visibleOnly}
      colorMode="dark"
    >
      <MiniMap pannable zoomable />
    </ReactFlow>
  );
}

createRoot(document.getElementById('root')).render(<App />);
