// What shows before the library is open, or instead of it if it cannot be opened.
export function Splash({ error }: { error?: unknown }) {
  if (error === undefined) {
    return (
      <div className="splash" role="status">
        Opening your library…
      </div>
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return (
    <div className="splash splash--error" role="alert">
      <h1>Curio could not open your library</h1>
      <p>{reason}</p>
      <p>
        Your links are safe on disk. Close other Curio windows and reload (Ctrl+R) to try again.
      </p>
    </div>
  );
}
