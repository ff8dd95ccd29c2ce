// Types of png.mjs, for the tests that send pictures.

export function encodePng(image: { width: number; height: number; channels: 3 | 4; raw: Buffer }): Buffer;
export function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer;
