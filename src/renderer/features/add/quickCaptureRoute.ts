// Web mode's `/add?url=…&title=…&note=…` (and the desktop app's page for `curio://add` links):
// read once when the window opens, then the address goes back to the library's, so a reload does
// not ask again. A page elsewhere can link here, but can only open the dialog: saving is the
// curator's click.
import {
  QUICK_CAPTURE_PATH,
  parseQuickCapture,
  type QuickCaptureResult,
} from '../../../shared/quick-capture';

/** A capture page sent to the window already open (the desktop app's `curio://add` links). */
export function captureFromPage(page: string): QuickCaptureResult | null {
  let url: URL;
  try {
    url = new URL(page);
  } catch {
    return null;
  }
  return url.pathname === QUICK_CAPTURE_PATH ? parseQuickCapture(url.searchParams) : null;
}

export function takeQuickCapture(): QuickCaptureResult | null {
  const result = captureFromPage(location.href);
  if (result) history.replaceState(null, '', '/');
  return result;
}
