// Placeholder until this area's pages land (issue #20).
export default function Area() {
  return <p>…</p>;
}
