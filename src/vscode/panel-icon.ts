/**
 * The icon of our editor panels (channel form, room views). A tab draws its icon as an image, where the
 * activity bar's `currentColor` would be black: each theme kind gets a version in its colour.
 */
import * as vscode from 'vscode';

export function panelIcon(extensionUri: vscode.Uri): { light: vscode.Uri; dark: vscode.Uri } {
  return {
    light: vscode.Uri.joinPath(extensionUri, 'media', 'matrix-light.svg'),
    dark: vscode.Uri.joinPath(extensionUri, 'media', 'matrix-dark.svg'),
  };
}
