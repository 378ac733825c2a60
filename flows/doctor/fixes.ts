/** How to fix each doctor finding, on the two platforms slipway supports. */
export function platformFix(platform: NodeJS.Platform, fixes: { linux: string; mac: string }): string {
  if (platform === 'darwin') return fixes.mac;
  if (platform === 'linux') return fixes.linux;
  return `Linux: ${fixes.linux}  macOS: ${fixes.mac}`;
}
