// Product image and file uploads as endpoints of the table: multipart/form-data bodies, signed over path and query
// only and sent without shop_cipher (the pages list no shop_cipher parameter; shopCipher.ts).
// https://partner.tiktokshop.com/docv2/page/upload-product-image-202309
// https://partner.tiktokshop.com/docv2/page/upload-product-file-202309
// The image `uri` is what Create/Edit Product (`main_images[].uri`, `certifications[].images[].uri`) and Reject
// Return / Reject Cancellation (`images[].image_id`) take; the file `id` goes to `certifications[].files[].id`.
// Call: callEndpoint(client, endpoints.uploadProductImage, shop, { data: uploadFile(bytes, 'box.jpg', 'image/jpeg') }).
import { z } from 'zod';
import { defineEndpoint, docsPage } from './endpoint';
import { TikTokInvalidRequest } from './errors';

export const PRODUCT_IMAGE_USE_CASES = [
  'MAIN_IMAGE',
  'ATTRIBUTE_IMAGE',
  'DESCRIPTION_IMAGE',
  'CERTIFICATION_IMAGE',
  'SIZE_CHART_IMAGE',
] as const;
export type ProductImageUseCase = (typeof PRODUCT_IMAGE_USE_CASES)[number];

const MB = 1024 * 1024;

/** A file part: its bytes, the name it is sent under and its MIME type (a File is a named Blob). */
export function uploadFile(data: Uint8Array | Blob, name: string, type?: string): File {
  const part = data instanceof Blob ? data : Uint8Array.from(data);
  return new File([part], name, type === undefined ? {} : { type });
}

/** A non-empty file of at most `maxBytes`. */
function fileSchema(maxBytes: number) {
  return z
    .custom<Blob>((v) => v instanceof Blob, 'data must be a file (Blob or File, see uploadFile)')
    .refine((v) => v.size > 0, 'data is empty')
    .refine((v) => v.size <= maxBytes, `data is larger than ${maxBytes / MB} MB`);
}

/** The page's name rules: the extension included, no spaces, no other period, not starting with a symbol. */
export const PRODUCT_FILE_NAME = /^[A-Za-z0-9][^\s.]*\.[A-Za-z0-9]+$/;

export const uploadedProductImageSchema = z.looseObject({
  uri: z.string().min(1),
  url: z.string().min(1),
  height: z.number().int(),
  width: z.number().int(),
  use_case: z.string().optional(),
});
export type UploadedProductImage = z.output<typeof uploadedProductImageSchema>;

export const uploadedProductFileSchema = z.looseObject({
  id: z.string().min(1),
  url: z.string().min(1),
  name: z.string().optional(),
  format: z.string().optional(),
});
export type UploadedProductFile = z.output<typeof uploadedProductFileSchema>;

export const uploadEndpoints = {
  uploadProductImage: defineEndpoint({
    title: 'Upload Product Image',
    docs: docsPage('upload-product-image-202309'),
    method: 'POST',
    path: '/product/202309/images/upload',
    shopCipher: false,
    multipart: true,
    body: z.strictObject({
      // JPG, JPEG, PNG, WEBP, HEIC or BMP, at most 10 MB; 100–20000 px a side (MAIN_IMAGE 300–4000).
      data: fileSchema(10 * MB),
      use_case: z.enum(PRODUCT_IMAGE_USE_CASES).optional(),
    }),
    response: uploadedProductImageSchema,
    // The page's codes: invalid param, invalid or unreadable file, too large, dimensions, format.
    errors: {
      11050001: TikTokInvalidRequest,
      12019116: TikTokInvalidRequest,
      12038002: TikTokInvalidRequest,
      12038004: TikTokInvalidRequest,
      12038005: TikTokInvalidRequest,
      12038014: TikTokInvalidRequest,
      12038015: TikTokInvalidRequest,
    },
  }),
  uploadProductFile: defineEndpoint({
    title: 'Upload Product File',
    docs: docsPage('upload-product-file-202309'),
    method: 'POST',
    path: '/product/202309/files/upload',
    shopCipher: false,
    multipart: true,
    body: z.strictObject({
      // PDF up to 20 MB; MP4, MOV, MKV, WMV, WEBM, AVI, 3GP, FLV, MPEG up to 100 MB.
      data: fileSchema(100 * MB),
      name: z.string().regex(PRODUCT_FILE_NAME, 'name must be like certificate.pdf: no spaces, one period'),
    }),
    response: uploadedProductFileSchema,
    // The page's codes: empty file, empty name, format, video ratio, invalid file, too large.
    errors: {
      12019103: TikTokInvalidRequest,
      12019104: TikTokInvalidRequest,
      12019105: TikTokInvalidRequest,
      12019122: TikTokInvalidRequest,
      12038002: TikTokInvalidRequest,
      12038004: TikTokInvalidRequest,
      12038005: TikTokInvalidRequest,
    },
  }),
};
