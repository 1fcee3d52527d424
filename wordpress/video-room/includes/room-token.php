<?php
/**
 * Room tokens as the signaling server reads them: JWTs signed HS256 with the
 * shared secret. Claims: room, role ("host" or "guest"), optional name, exp.
 */

defined( 'ABSPATH' ) || exit;

function video_room_base64url( $bytes ) {
	return rtrim( strtr( base64_encode( $bytes ), '+/', '-_' ), '=' );
}

/**
 * @param array  $claims room, role, name (optional), exp.
 * @param string $secret At least VIDEO_ROOM_SECRET_MIN characters.
 */
function video_room_mint_token( array $claims, $secret ) {
	$head = video_room_base64url( wp_json_encode( array( 'alg' => 'HS256', 'typ' => 'JWT' ) ) );
	$body = video_room_base64url( wp_json_encode( $claims, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES ) );
	$sig  = video_room_base64url( hash_hmac( 'sha256', "$head.$body", $secret, true ) );
	return "$head.$body.$sig";
}

/**
 * A display name the server accepts (protocol/text-rules.ts): no control or
 * text-direction characters, 1–64 characters with something visible; ''
 * when nothing is left (the visitor then types one).
 */
function video_room_token_name( $name ) {
	// Invalid UTF-8 makes preg_replace return null: no name rather than a broken one.
	$name = preg_replace( '/[\x{0000}-\x{001F}\x{007F}-\x{009F}\x{061C}\x{200E}\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}]/u', '', (string) $name );
	$name = trim( (string) $name );
	// 64 characters, not bytes (without relying on mbstring, which many hosts lack).
	$name = preg_match( '/^.{0,64}/us', $name, $m ) ? $m[0] : '';
	return preg_match( '/[^\s\p{Z}\p{Cf}]/u', $name ) ? trim( $name ) : '';
}
