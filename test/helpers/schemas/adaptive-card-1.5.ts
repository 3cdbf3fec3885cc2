/**
 * A hand-written structural schema for Adaptive Cards 1.5 (zod), written from the 1.5 schema explorer at adaptivecards.io
 * because no installed npm package ships the official adaptive-card.json. It checks what a card must have: known element
 * and action types for 1.5, each one's required properties, property types, and enum values (case-insensitive, as the
 * official schema and the renderers accept). Extra properties are allowed, as in the official schema (e.g. `msteams`).
 */
import { z } from 'zod';

/** A case-insensitive string enum, like the official schema's enums. */
function oneOf(...values: string[]) {
  const allowed = new Set(values.map((v) => v.toLowerCase()));
  return z.string().refine((v) => allowed.has(v.toLowerCase()), { message: `must be one of ${values.join(', ')}` });
}

const spacing = oneOf('None', 'Small', 'Default', 'Medium', 'Large', 'ExtraLarge', 'Padding');
const color = oneOf('Default', 'Dark', 'Light', 'Accent', 'Good', 'Warning', 'Attention');
const fontSize = oneOf('Default', 'Small', 'Medium', 'Large', 'ExtraLarge');
const fontWeight = oneOf('Default', 'Lighter', 'Bolder');
const fontType = oneOf('Default', 'Monospace');
const horizontalAlignment = oneOf('Left', 'Center', 'Right');
const verticalAlignment = oneOf('Top', 'Center', 'Bottom');
const containerStyle = oneOf('default', 'emphasis', 'good', 'attention', 'warning', 'accent');
const imageSize = oneOf('Auto', 'Stretch', 'Small', 'Medium', 'Large');
const pixels = z.string().regex(/^\d+px$/, 'must be like "40px"');
const backgroundImage = z.union([z.string(), z.object({ url: z.string() })]);

/** Properties every element may have (fallback is walked separately). */
const elementBase = z.object({
  type: z.string(),
  id: z.string().optional(),
  isVisible: z.boolean().optional(),
  separator: z.boolean().optional(),
  spacing: spacing.optional(),
  height: oneOf('auto', 'stretch').optional(),
  requires: z.record(z.string(), z.string()).optional(),
});

const containerLike = {
  style: containerStyle.optional(),
  verticalContentAlignment: verticalAlignment.optional(),
  bleed: z.boolean().optional(),
  minHeight: pixels.optional(),
  rtl: z.boolean().optional(),
  backgroundImage: backgroundImage.optional(),
};

const inputBase = elementBase.extend({
  id: z.string().min(1),
  label: z.string().optional(),
  isRequired: z.boolean().optional(),
  errorMessage: z.string().optional(),
});

const textRun = z.object({
  type: z.literal('TextRun'),
  text: z.string(),
  color: color.optional(),
  fontType: fontType.optional(),
  highlight: z.boolean().optional(),
  isSubtle: z.boolean().optional(),
  italic: z.boolean().optional(),
  size: fontSize.optional(),
  strikethrough: z.boolean().optional(),
  underline: z.boolean().optional(),
  weight: fontWeight.optional(),
});

/** The body element types of Adaptive Cards 1.5, each with its own (non-recursive) properties. */
export const ELEMENTS: Record<string, z.ZodType> = {
  TextBlock: elementBase.extend({
    text: z.string(),
    color: color.optional(),
    fontType: fontType.optional(),
    horizontalAlignment: horizontalAlignment.optional(),
    isSubtle: z.boolean().optional(),
    maxLines: z.number().int().min(1).optional(),
    size: fontSize.optional(),
    weight: fontWeight.optional(),
    wrap: z.boolean().optional(),
    style: oneOf('default', 'heading').optional(),
  }),
  Image: elementBase.extend({
    url: z.string().min(1),
    altText: z.string().optional(),
    backgroundColor: z.string().optional(),
    height: z.union([pixels, oneOf('auto', 'stretch')]).optional(),
    horizontalAlignment: horizontalAlignment.optional(),
    size: imageSize.optional(),
    style: oneOf('Default', 'Person').optional(),
    width: pixels.optional(),
  }),
  Media: elementBase.extend({
    sources: z.array(z.object({ url: z.string().min(1), mimeType: z.string().optional() })).min(1),
    poster: z.string().optional(),
    altText: z.string().optional(),
  }),
  RichTextBlock: elementBase.extend({ inlines: z.array(z.unknown()), horizontalAlignment: horizontalAlignment.optional() }),
  Container: elementBase.extend({ items: z.array(z.unknown()), ...containerLike }),
  ColumnSet: elementBase.extend({
    columns: z.array(z.unknown()).optional(),
    style: containerStyle.optional(),
    bleed: z.boolean().optional(),
    minHeight: pixels.optional(),
    horizontalAlignment: horizontalAlignment.optional(),
  }),
  FactSet: elementBase.extend({ facts: z.array(z.object({ title: z.string(), value: z.string() })) }),
  ImageSet: elementBase.extend({ images: z.array(z.unknown()), imageSize: imageSize.optional() }),
  ActionSet: elementBase.extend({ actions: z.array(z.unknown()) }),
  Table: elementBase.extend({
    columns: z.array(z.object({ width: z.union([z.number(), z.string()]).optional() })).optional(),
    rows: z.array(z.unknown()).optional(),
    firstRowAsHeader: z.boolean().optional(),
    showGridLines: z.boolean().optional(),
    gridStyle: containerStyle.optional(),
    horizontalCellContentAlignment: horizontalAlignment.optional(),
    verticalCellContentAlignment: verticalAlignment.optional(),
  }),
  'Input.Text': inputBase.extend({
    isMultiline: z.boolean().optional(),
    maxLength: z.number().int().min(0).optional(),
    placeholder: z.string().optional(),
    regex: z.string().optional(),
    style: oneOf('Text', 'Tel', 'Url', 'Email', 'Password').optional(),
    value: z.string().optional(),
  }),
  'Input.Number': inputBase.extend({ min: z.number().optional(), max: z.number().optional(), value: z.number().optional(), placeholder: z.string().optional() }),
  'Input.Date': inputBase.extend({ min: z.string().optional(), max: z.string().optional(), value: z.string().optional(), placeholder: z.string().optional() }),
  'Input.Time': inputBase.extend({ min: z.string().optional(), max: z.string().optional(), value: z.string().optional(), placeholder: z.string().optional() }),
  'Input.Toggle': inputBase.extend({
    title: z.string(),
    value: z.string().optional(),
    valueOn: z.string().optional(),
    valueOff: z.string().optional(),
    wrap: z.boolean().optional(),
  }),
  'Input.ChoiceSet': inputBase.extend({
    choices: z.array(z.object({ title: z.string(), value: z.string() })).optional(),
    isMultiSelect: z.boolean().optional(),
    style: oneOf('compact', 'expanded', 'filtered').optional(),
    value: z.string().optional(),
    placeholder: z.string().optional(),
    wrap: z.boolean().optional(),
  }),
};

/** Parts that only appear inside a particular parent (columns, table rows and cells, rich-text runs). */
export const PARTS: Record<'Column' | 'TableRow' | 'TableCell' | 'TextRun', z.ZodType> = {
  Column: elementBase.extend({
    type: z.literal('Column').optional(),
    items: z.array(z.unknown()).optional(),
    width: z.union([z.number(), z.string().regex(/^(auto|stretch|\d+(px)?)$/i, 'must be auto, stretch, a weight or "NNpx"')]).optional(),
    ...containerLike,
  }),
  TableRow: z.object({ type: z.literal('TableRow'), cells: z.array(z.unknown()).optional(), style: containerStyle.optional() }),
  TableCell: z.object({ type: z.literal('TableCell'), items: z.array(z.unknown()), ...containerLike }),
  TextRun: textRun,
};

const actionBase = z.object({
  type: z.string(),
  id: z.string().optional(),
  title: z.string().optional(),
  iconUrl: z.string().optional(),
  style: oneOf('default', 'positive', 'destructive').optional(),
  tooltip: z.string().optional(),
  isEnabled: z.boolean().optional(),
  mode: oneOf('primary', 'secondary').optional(),
  requires: z.record(z.string(), z.string()).optional(),
});

const submitData = z.union([z.string(), z.record(z.string(), z.unknown())]).optional();
const associatedInputs = oneOf('Auto', 'None').optional();

/** The action types of Adaptive Cards 1.5 (Action.ShowCard's card is walked separately). */
export const ACTIONS: Record<string, z.ZodType> = {
  'Action.Submit': actionBase.extend({ data: submitData, associatedInputs }),
  'Action.Execute': actionBase.extend({ verb: z.string().optional(), data: submitData, associatedInputs }),
  'Action.OpenUrl': actionBase.extend({ url: z.string().min(1) }),
  'Action.ShowCard': actionBase.extend({ card: z.record(z.string(), z.unknown()) }),
  'Action.ToggleVisibility': actionBase.extend({
    targetElements: z.array(z.union([z.string(), z.object({ elementId: z.string(), isVisible: z.boolean().optional() })])).min(1),
  }),
};

/** The card itself; `version` is only required on the outermost card (not on Action.ShowCard's). */
export const CARD = z.object({
  type: z.literal('AdaptiveCard'),
  $schema: z.string().optional(),
  version: z.string().optional(),
  body: z.array(z.unknown()).optional(),
  actions: z.array(z.unknown()).optional(),
  fallbackText: z.string().optional(),
  speak: z.string().optional(),
  lang: z.string().optional(),
  minHeight: pixels.optional(),
  rtl: z.boolean().optional(),
  verticalContentAlignment: verticalAlignment.optional(),
  backgroundImage: backgroundImage.optional(),
  metadata: z.object({ webUrl: z.string().optional() }).optional(),
  refresh: z.object({ action: z.record(z.string(), z.unknown()).optional(), userIds: z.array(z.string()).optional(), expires: z.string().optional() }).optional(),
  msteams: z.record(z.string(), z.unknown()).optional(),
});
