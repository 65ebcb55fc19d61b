// A generated workflow of `count` nodes, the same for KubeOrch-rs and the React Flow page:
// groups of Ingress -> Service -> Deployment <- ConfigMap, PVC (4 edges per 5 nodes), laid out
// in rows of groups with the canvas's card size (220 x 76) and spacing.
const GROUP = [
  { kind: 'ingress', dx: 0, dy: 110, data: (g) => ({ name: `web-${g}`, host: `shop-${g}.example.com` }) },
  { kind: 'service', dx: 280, dy: 110, data: (g) => ({ name: `web-${g}`, type: 'ClusterIP' }) },
  {
    kind: 'deployment', dx: 560, dy: 110,
    data: (g) => ({ name: `web-${g}`, image: 'nginx:1.27', replicas: 2, ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }),
  },
  { kind: 'configmap', dx: 840, dy: 0, data: (g) => ({ name: `web-${g}-config` }) },
  { kind: 'persistentvolumeclaim', dx: 840, dy: 220, data: (g) => ({ name: `web-${g}-data`, size: '1Gi' }) },
];
const LINKS = [[0, 1], [1, 2], [3, 2], [4, 2]];
const GROUPS_PER_ROW = 4;
const GROUP_WIDTH = 1160;
const GROUP_HEIGHT = 340;

export function generate(count) {
  const nodes = [];
  const edges = [];
  for (let i = 0; nodes.length < count; i++) {
    const g = Math.floor(i / GROUP.length);
    const part = GROUP[i % GROUP.length];
    const x = (g % GROUPS_PER_ROW) * GROUP_WIDTH + part.dx + 40;
    const y = Math.floor(g / GROUPS_PER_ROW) * GROUP_HEIGHT + part.dy + 40;
    nodes.push({ id: `n${i}`, kind: part.kind, position: { x, y }, data: part.data(g) });
  }
  for (let g = 0; g * GROUP.length < nodes.length; g++) {
    for (const [from, to] of LINKS) {
      const source = g * GROUP.length + from;
      const target = g * GROUP.length + to;
      if (source < nodes.length && target < nodes.length) {
        edges.push({ id: `e${source}-${target}`, source: `n${source}`, target: `n${target}` });
      }
    }
  }
  return { nodes, edges };
}
