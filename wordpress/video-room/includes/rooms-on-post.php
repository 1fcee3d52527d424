<?php
/**
 * Which rooms a post shows: its [video_room] shortcodes and "Video room"
 * blocks (inner blocks too). Tokens are given only for these, so the token
 * route cannot be used to sign for any room a stranger names.
 */

defined( 'ABSPATH' ) || exit;

/**
 * @param WP_Post $post
 * @return string[] Room names.
 */
function video_room_rooms_on_post( $post ) {
	$rooms   = array();
	$content = (string) $post->post_content;
	if ( has_shortcode( $content, 'video_room' ) && preg_match_all( '/' . get_shortcode_regex( array( 'video_room' ) ) . '/s', $content, $found, PREG_SET_ORDER ) ) {
		foreach ( $found as $m ) {
			if ( '[' === $m[1] && ']' === $m[6] ) {
				continue; // [[video_room]] is the shortcode written out, not shown
			}
			$atts = shortcode_parse_atts( $m[3] );
			if ( is_array( $atts ) && isset( $atts['room'] ) ) {
				$rooms[] = trim( (string) $atts['room'] );
			}
		}
	}
	if ( has_blocks( $content ) ) {
		$rooms = array_merge( $rooms, video_room_rooms_in_blocks( parse_blocks( $content ) ) );
	}
	/** Rooms shown by this post some other way (a template, a widget): add them here. */
	return array_values( array_unique( apply_filters( 'video_room_rooms_on_post', $rooms, $post ) ) );
}

function video_room_rooms_in_blocks( array $blocks ) {
	$rooms = array();
	foreach ( $blocks as $block ) {
		if ( 'video-room/room' === $block['blockName'] && isset( $block['attrs']['room'] ) ) {
			$rooms[] = trim( (string) $block['attrs']['room'] );
		}
		if ( ! empty( $block['innerBlocks'] ) ) {
			$rooms = array_merge( $rooms, video_room_rooms_in_blocks( $block['innerBlocks'] ) );
		}
	}
	return $rooms;
}
